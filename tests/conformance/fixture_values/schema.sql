CREATE TABLE "fixture_values_event" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(50) NOT NULL, "starts" datetime NULL, "day" date NULL, "at" time NULL, "length" bigint NULL, "price" decimal NULL, "ratio" real NULL, "done" bool NOT NULL, "data" text NULL CHECK ((JSON_VALID("data") OR "data" IS NULL)), "count" integer NOT NULL);
CREATE TABLE "fixture_values_event_tags" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "event_id" integer NOT NULL REFERENCES "fixture_values_event" ("id") DEFERRABLE INITIALLY DEFERRED, "tag_id" char(32) NOT NULL REFERENCES "fixture_values_tag" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "fixture_values_tag" ("id" char(32) NOT NULL PRIMARY KEY, "name" varchar(20) NOT NULL);
CREATE INDEX "fixture_values_event_tags_event_id_aea39d4c" ON "fixture_values_event_tags" ("event_id");
CREATE UNIQUE INDEX "fixture_values_event_tags_event_id_tag_id_3b310bfa_uniq" ON "fixture_values_event_tags" ("event_id", "tag_id");
CREATE INDEX "fixture_values_event_tags_tag_id_fb44d47b" ON "fixture_values_event_tags" ("tag_id");
