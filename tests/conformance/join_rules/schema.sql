CREATE TABLE "join_rules_blog" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(50) NOT NULL);
CREATE TABLE "join_rules_entry" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "headline" varchar(100) NOT NULL, "year" integer NOT NULL, "rating" integer NULL, "blog_id" integer NOT NULL REFERENCES "join_rules_blog" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "join_rules_entry_tags" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "entry_id" integer NOT NULL REFERENCES "join_rules_entry" ("id") DEFERRABLE INITIALLY DEFERRED, "tag_id" integer NOT NULL REFERENCES "join_rules_tag" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "join_rules_tag" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(30) NOT NULL);
CREATE INDEX "join_rules_entry_blog_id_035c0425" ON "join_rules_entry" ("blog_id");
CREATE INDEX "join_rules_entry_tags_entry_id_9bb8e968" ON "join_rules_entry_tags" ("entry_id");
CREATE UNIQUE INDEX "join_rules_entry_tags_entry_id_tag_id_1e5de76b_uniq" ON "join_rules_entry_tags" ("entry_id", "tag_id");
CREATE INDEX "join_rules_entry_tags_tag_id_08a7f6a7" ON "join_rules_entry_tags" ("tag_id");
