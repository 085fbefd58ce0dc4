CREATE TABLE "blog_choices_blog" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(50) NOT NULL UNIQUE, "owner_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "blog_choices_comment" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "body" text NOT NULL, "approved" bool NOT NULL, "author_id" integer NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "post_id" integer NOT NULL REFERENCES "blog_choices_post" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "blog_choices_post" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(100) NOT NULL, "status" varchar(1) NOT NULL, "views" integer unsigned NOT NULL CHECK ("views" >= 0), "likes" integer NOT NULL, "created" datetime NOT NULL, "blog_id" integer NOT NULL REFERENCES "blog_choices_blog" ("id") DEFERRABLE INITIALLY DEFERRED, "parent_id" integer NULL REFERENCES "blog_choices_post" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "blog_choices_blog_owner_id_a4a6a573" ON "blog_choices_blog" ("owner_id");
CREATE INDEX "blog_choices_comment_author_id_9aeb1ff3" ON "blog_choices_comment" ("author_id");
CREATE INDEX "blog_choices_comment_post_id_f4537b5e" ON "blog_choices_comment" ("post_id");
CREATE INDEX "blog_choices_post_blog_id_e8c1e178" ON "blog_choices_post" ("blog_id");
CREATE INDEX "blog_choices_post_parent_id_74401a5b" ON "blog_choices_post" ("parent_id");
