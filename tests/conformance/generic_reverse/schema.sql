CREATE TABLE "generic_reverse_bookmark" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "url" varchar(100) NOT NULL);
CREATE TABLE "generic_reverse_photo" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(100) NOT NULL);
CREATE TABLE "generic_reverse_taggeditem" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "tag" varchar(50) NOT NULL, "object_id" integer unsigned NOT NULL CHECK ("object_id" >= 0), "content_type_id" integer NOT NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "generic_reverse_taggeditem_content_type_id_9b8735e6" ON "generic_reverse_taggeditem" ("content_type_id");
CREATE INDEX "generic_reverse_taggeditem_tag_046c100c" ON "generic_reverse_taggeditem" ("tag");
