-- 政务信息 (government-affairs information): reporting priorities, research topics, commissions, pieces with their
-- versions, adoptions, leader instructions, publications and their numbered issues.
CREATE TABLE IF NOT EXISTS "affairs_priorities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"area_id" uuid NOT NULL REFERENCES "units"("id"),
	"year" integer NOT NULL,
	"title" text NOT NULL,
	"created_by" uuid REFERENCES "users"("id"),
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "affairs_priorities_area_idx" ON "affairs_priorities" USING btree ("area_id", "year");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "affairs_topics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"summary" text,
	"priority_id" uuid REFERENCES "affairs_priorities"("id"),
	"unit_id" uuid NOT NULL REFERENCES "units"("id"),
	"section_area_id" uuid NOT NULL REFERENCES "units"("id"),
	"proposed_by" uuid REFERENCES "users"("id"),
	"status" text NOT NULL,
	"reason" text,
	"merge_into_id" uuid REFERENCES "affairs_topics"("id"),
	"scheduled_for" date,
	"schedule_order" integer,
	"screened_by" uuid REFERENCES "users"("id"),
	"screened_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "affairs_topics_section_idx" ON "affairs_topics" USING btree ("section_area_id", "status");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "affairs_commissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"topic_id" uuid REFERENCES "affairs_topics"("id"),
	"issuer_area_id" uuid NOT NULL REFERENCES "units"("id"),
	"issuer_office_id" uuid NOT NULL REFERENCES "units"("id"),
	"to_unit_id" uuid NOT NULL REFERENCES "units"("id"),
	"due_at" timestamp with time zone NOT NULL,
	"scoring_version" integer NOT NULL,
	"created_by" uuid REFERENCES "users"("id"),
	"created_at" timestamp with time zone NOT NULL,
	"first_sent_at" timestamp with time zone,
	"first_piece_id" uuid,
	"offline_delivered_at" timestamp with time zone,
	"offline_note" text,
	"offline_recorded_by" uuid REFERENCES "users"("id"),
	"missed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "affairs_commissions_to_idx" ON "affairs_commissions" USING btree ("to_unit_id", "due_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "affairs_commissions_issuer_idx" ON "affairs_commissions" USING btree ("issuer_area_id", "due_at");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "affairs_pieces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"body" text NOT NULL,
	"commission_id" uuid REFERENCES "affairs_commissions"("id"),
	"event_date" date,
	"media_reported_at" timestamp with time zone,
	"source_piece_ids" uuid[] DEFAULT '{}' NOT NULL,
	"unit_id" uuid NOT NULL REFERENCES "units"("id"),
	"writer_unit_id" uuid NOT NULL REFERENCES "units"("id"),
	"created_by" uuid NOT NULL REFERENCES "users"("id"),
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"return_reason" text,
	"to_area_id" uuid NOT NULL REFERENCES "units"("id"),
	"recipients" uuid[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"first_sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "affairs_pieces_unit_idx" ON "affairs_pieces" USING btree ("unit_id", "created_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "affairs_pieces_to_idx" ON "affairs_pieces" USING btree ("to_area_id", "first_sent_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "affairs_pieces_commission_idx" ON "affairs_pieces" USING btree ("commission_id");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "affairs_piece_versions" (
	"piece_id" uuid NOT NULL REFERENCES "affairs_pieces"("id"),
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"edited_by" uuid REFERENCES "users"("id"),
	"unit_id" uuid REFERENCES "units"("id"),
	"note" text,
	"at" timestamp with time zone NOT NULL,
	PRIMARY KEY ("piece_id", "version")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "affairs_publications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"office_id" uuid NOT NULL REFERENCES "units"("id"),
	"area_id" uuid NOT NULL REFERENCES "units"("id"),
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"distribution" uuid[] DEFAULT '{}' NOT NULL,
	"created_by" uuid REFERENCES "users"("id"),
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "affairs_issues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"publication_id" uuid NOT NULL REFERENCES "affairs_publications"("id"),
	"year" integer NOT NULL,
	"number" integer NOT NULL,
	"total_number" integer NOT NULL,
	"title" text,
	"status" text NOT NULL,
	"created_by" uuid REFERENCES "users"("id"),
	"created_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "affairs_issues_number_uq" UNIQUE ("publication_id", "year", "number")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "affairs_issue_pieces" (
	"issue_id" uuid NOT NULL REFERENCES "affairs_issues"("id"),
	"piece_id" uuid NOT NULL REFERENCES "affairs_pieces"("id"),
	"ord" integer NOT NULL,
	PRIMARY KEY ("issue_id", "piece_id")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "affairs_adoptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"piece_id" uuid NOT NULL REFERENCES "affairs_pieces"("id"),
	"office_id" uuid NOT NULL REFERENCES "units"("id"),
	"where" text NOT NULL,
	"issue_id" uuid REFERENCES "affairs_issues"("id"),
	"at" timestamp with time zone NOT NULL,
	"points" integer NOT NULL,
	"scoring_version" integer NOT NULL,
	"recorded_by" uuid REFERENCES "users"("id"),
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "affairs_adoptions_once_uq" UNIQUE ("piece_id", "office_id", "where")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "affairs_adoptions_at_idx" ON "affairs_adoptions" USING btree ("at");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "affairs_instructions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"piece_id" uuid NOT NULL REFERENCES "affairs_pieces"("id"),
	"leader_level" text NOT NULL,
	"leader_name" text NOT NULL,
	"text" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"points" integer NOT NULL,
	"scoring_version" integer NOT NULL,
	"recorded_by" uuid REFERENCES "users"("id"),
	"recorder_unit_id" uuid REFERENCES "units"("id"),
	"counted" boolean NOT NULL,
	"task_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "affairs_instructions_at_idx" ON "affairs_instructions" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "affairs_instructions_counted_uq" ON "affairs_instructions" USING btree ("piece_id", "leader_level") WHERE counted;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "affairs_piece_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"piece_id" uuid NOT NULL REFERENCES "affairs_pieces"("id"),
	"filename" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"data" bytea NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"user_id" uuid REFERENCES "users"("id")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "affairs_piece_files_piece_idx" ON "affairs_piece_files" USING btree ("piece_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "affairs_issue_reads" (
	"issue_id" uuid NOT NULL REFERENCES "affairs_issues"("id"),
	"user_id" uuid NOT NULL REFERENCES "users"("id"),
	"read_at" timestamp with time zone NOT NULL,
	PRIMARY KEY ("issue_id", "user_id")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "affairs_liaison_units" (
	"area_id" uuid NOT NULL REFERENCES "units"("id"),
	"unit_id" uuid NOT NULL REFERENCES "units"("id"),
	"year" integer NOT NULL,
	"quota" integer NOT NULL,
	"set_by" uuid REFERENCES "users"("id"),
	"set_at" timestamp with time zone NOT NULL,
	PRIMARY KEY ("area_id", "unit_id", "year")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "affairs_trainings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL REFERENCES "users"("id"),
	"unit_id" uuid NOT NULL REFERENCES "units"("id"),
	"kind" text NOT NULL,
	"on_date" date NOT NULL,
	"hours" numeric(6, 1),
	"organiser" text,
	"note" text,
	"recorded_by" uuid REFERENCES "users"("id"),
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "affairs_trainings_unit_idx" ON "affairs_trainings" USING btree ("unit_id", "on_date");
