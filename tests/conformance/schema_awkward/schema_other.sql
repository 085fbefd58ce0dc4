CREATE TABLE "people" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "full_name" varchar(50) NOT NULL);
CREATE TABLE "people_followers" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "from_person_id" integer NOT NULL REFERENCES "people" ("id") DEFERRABLE INITIALLY DEFERRED, "to_person_id" integer NOT NULL REFERENCES "people" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "people_friends" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "from_person_id" integer NOT NULL REFERENCES "people" ("id") DEFERRABLE INITIALLY DEFERRED, "to_person_id" integer NOT NULL REFERENCES "people" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "people_followers_from_person_id_a436ac04" ON "people_followers" ("from_person_id");
CREATE UNIQUE INDEX "people_followers_from_person_id_to_person_id_a9d22661_uniq" ON "people_followers" ("from_person_id", "to_person_id");
CREATE INDEX "people_followers_to_person_id_08566485" ON "people_followers" ("to_person_id");
CREATE INDEX "people_friends_from_person_id_c26f1706" ON "people_friends" ("from_person_id");
CREATE UNIQUE INDEX "people_friends_from_person_id_to_person_id_61580fb6_uniq" ON "people_friends" ("from_person_id", "to_person_id");
CREATE INDEX "people_friends_to_person_id_f8ca9b15" ON "people_friends" ("to_person_id");
