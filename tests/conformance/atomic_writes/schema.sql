CREATE TABLE "atomic_writes_box" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "label" varchar(30) NOT NULL UNIQUE, "shelf_id" integer NOT NULL REFERENCES "atomic_writes_shelf" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "atomic_writes_box_tags" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "box_id" integer NOT NULL REFERENCES "atomic_writes_box" ("id") DEFERRABLE INITIALLY DEFERRED, "tag_id" integer NOT NULL REFERENCES "atomic_writes_tag" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "atomic_writes_shelf" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(30) NOT NULL UNIQUE);
CREATE TABLE "atomic_writes_tag" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(30) NOT NULL);
CREATE INDEX "atomic_writes_box_shelf_id_5e0326aa" ON "atomic_writes_box" ("shelf_id");
CREATE INDEX "atomic_writes_box_tags_box_id_ca7e1e25" ON "atomic_writes_box_tags" ("box_id");
CREATE UNIQUE INDEX "atomic_writes_box_tags_box_id_tag_id_89bd92bf_uniq" ON "atomic_writes_box_tags" ("box_id", "tag_id");
CREATE INDEX "atomic_writes_box_tags_tag_id_41661835" ON "atomic_writes_box_tags" ("tag_id");
