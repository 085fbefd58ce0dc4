CREATE TABLE "orm_time_zone_meeting" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(50) NOT NULL, "at" datetime NOT NULL, "day" date NULL);
