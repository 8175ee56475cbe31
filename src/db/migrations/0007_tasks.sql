-- 督查督办: supervised tasks (tasks), collection tasks (one title to many units), progress reports.
CREATE TABLE IF NOT EXISTS "task_collections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"source" text NOT NULL,
	"source_id" text,
	"issuer_unit_id" uuid NOT NULL REFERENCES "units"("id"),
	"issuer_user_id" uuid REFERENCES "users"("id"),
	"due_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"source" text NOT NULL,
	"source_id" text,
	"owner_unit_id" uuid NOT NULL REFERENCES "units"("id"),
	"issuer_unit_id" uuid NOT NULL REFERENCES "units"("id"),
	"issuer_user_id" uuid REFERENCES "users"("id"),
	"leader_name" text,
	"collection_id" uuid REFERENCES "task_collections"("id"),
	"issued_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"report_every_days" integer,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"last_progress_at" timestamp with time zone,
	"progress_missed" boolean DEFAULT false NOT NULL,
	"overdue_escalated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tasks_owner_idx" ON "tasks" USING btree ("owner_unit_id", "due_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tasks_issuer_idx" ON "tasks" USING btree ("issuer_unit_id", "due_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tasks_collection_idx" ON "tasks" USING btree ("collection_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tasks_source_idx" ON "tasks" USING btree ("source", "source_id");--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "task_progress" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
	"task_id" uuid NOT NULL REFERENCES "tasks"("id"),
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"user_id" uuid REFERENCES "users"("id"),
	"unit_id" uuid REFERENCES "units"("id"),
	"text" text NOT NULL,
	"done" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "task_progress_task_idx" ON "task_progress" USING btree ("task_id", "at");
