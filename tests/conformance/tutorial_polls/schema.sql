CREATE TABLE "tutorial_polls_choice" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "choice_text" varchar(200) NOT NULL, "votes" integer NOT NULL, "question_id" integer NOT NULL REFERENCES "tutorial_polls_question" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "tutorial_polls_question" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "question_text" varchar(200) NOT NULL, "pub_date" datetime NOT NULL);
CREATE INDEX "tutorial_polls_choice_question_id_d6de330c" ON "tutorial_polls_choice" ("question_id");
