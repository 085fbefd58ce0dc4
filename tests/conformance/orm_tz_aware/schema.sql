CREATE TABLE "orm_tz_aware_meeting" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(40) NOT NULL, "at" datetime NOT NULL);
