CREATE TABLE "loop_writes_item" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(50) NOT NULL, "rank" integer NOT NULL, "shelf_id" integer NOT NULL REFERENCES "loop_writes_shelf" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "loop_writes_shelf" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(50) NOT NULL);
CREATE INDEX "loop_writes_item_rank_bfb110a0" ON "loop_writes_item" ("rank");
CREATE INDEX "loop_writes_item_shelf_id_feddf072" ON "loop_writes_item" ("shelf_id");
