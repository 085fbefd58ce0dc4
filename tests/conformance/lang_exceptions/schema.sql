CREATE TABLE "lang_exceptions_book" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(50) NOT NULL, "isbn" varchar(20) NOT NULL UNIQUE);
