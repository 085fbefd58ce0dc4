CREATE TABLE "json_storage_dog" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(20) NOT NULL, "data" text NULL CHECK ((JSON_VALID("data") OR "data" IS NULL)));
