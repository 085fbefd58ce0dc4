CREATE TABLE "meta_indexes_event" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(50) NOT NULL, "venue" varchar(50) NOT NULL, "starts" date NOT NULL, "seats" integer NOT NULL, CONSTRAINT "one_event_per_venue_day" UNIQUE ("venue", "starts"));
CREATE TABLE "meta_indexes_ticket" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "row" varchar(2) NOT NULL, "number" integer NOT NULL, "event_id" integer NOT NULL REFERENCES "meta_indexes_event" ("id") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "seat_once" UNIQUE ("event_id", "row", "number"));
CREATE INDEX "event_title_idx" ON "meta_indexes_event" ("title");
CREATE INDEX "meta_indexe_seats_ba1b52_idx" ON "meta_indexes_event" ("seats");
CREATE INDEX "meta_indexe_venue_1adfc2_idx" ON "meta_indexes_event" ("venue", "starts" DESC);
CREATE INDEX "meta_indexes_ticket_event_id_cf246783" ON "meta_indexes_ticket" ("event_id");
