CREATE TABLE "generic_relations_bookmark" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "url" varchar(200) NOT NULL);
CREATE TABLE "generic_relations_comment" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "body" text NOT NULL, "pk_of" varchar(20) NULL, "kind_id" integer NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "generic_relations_note" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "text" varchar(50) NOT NULL);
CREATE TABLE "generic_relations_tag" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "label" varchar(50) NOT NULL, "object_id" integer unsigned NOT NULL CHECK ("object_id" >= 0), "content_type_id" integer NOT NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "generic_rel_content_eb1eb6_idx" ON "generic_relations_tag" ("content_type_id", "object_id");
CREATE INDEX "generic_relations_comment_kind_id_1e844d2a" ON "generic_relations_comment" ("kind_id");
CREATE INDEX "generic_relations_tag_content_type_id_9d85d071" ON "generic_relations_tag" ("content_type_id");
CREATE INDEX "generic_relations_tag_label_cbf8b4ba" ON "generic_relations_tag" ("label");
