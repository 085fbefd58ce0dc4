CREATE TABLE "orm_result_cache_entry" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "headline" varchar(100) NOT NULL, "rating" integer NOT NULL);
CREATE TABLE "orm_result_cache_owner" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(50) NOT NULL);
CREATE TABLE "orm_result_cache_pet" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(50) NOT NULL, "keeper_id" integer NULL REFERENCES "orm_result_cache_owner" ("id") DEFERRABLE INITIALLY DEFERRED, "owner_id" integer NOT NULL REFERENCES "orm_result_cache_owner" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "orm_result_cache_pet_keeper_id_7b6a69f8" ON "orm_result_cache_pet" ("keeper_id");
CREATE INDEX "orm_result_cache_pet_owner_id_bf8a690f" ON "orm_result_cache_pet" ("owner_id");
