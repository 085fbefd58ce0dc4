CREATE TABLE "model_meta_author" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(50) NOT NULL);
CREATE TABLE "model_meta_tag" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "label" varchar(50) NOT NULL);
CREATE INDEX "model_meta_tag_label_a0635810" ON "model_meta_tag" ("label");
