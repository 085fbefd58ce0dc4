CREATE TABLE "custom_managers_note" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "text" varchar(20) NOT NULL, "hidden" bool NOT NULL);
CREATE TABLE "custom_managers_post" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(50) NOT NULL, "author" varchar(20) NOT NULL, "status" varchar(1) NOT NULL);
