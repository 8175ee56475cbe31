CREATE TABLE "audit_heads" (
	"stream" text PRIMARY KEY NOT NULL,
	"seq" integer NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"stream" text NOT NULL,
	"seq" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"unit_id" uuid,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text,
	"data" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deductions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"notice_id" uuid,
	"unit_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"offence" text NOT NULL,
	"event_id" uuid,
	"deadline_id" uuid,
	"points" numeric(6, 2) NOT NULL,
	"repeat" integer DEFAULT 0 NOT NULL,
	"detail" text,
	"rule_version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"year" integer NOT NULL,
	"seq" integer NOT NULL,
	"title" text NOT NULL,
	"issuing_unit_id" uuid NOT NULL,
	"period_from" timestamp with time zone NOT NULL,
	"period_to" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"actor_id" uuid NOT NULL,
	"path" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"state" text NOT NULL,
	"status_code" integer,
	"body" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_actor_id_path_key_pk" PRIMARY KEY("actor_id","path","key")
);
--> statement-breakpoint
CREATE TABLE "login_failures" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "login_failures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"username" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "login_locks" (
	"username" text PRIMARY KEY NOT NULL,
	"locked_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"name" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"roles" text[] NOT NULL,
	"officer_type" text,
	"post" text,
	"phone" text,
	"email" text,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"user_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "categories" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"parent_code" text,
	"depth" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"user_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"changes" jsonb NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_units" (
	"event_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"reason" text NOT NULL,
	CONSTRAINT "event_units_event_id_unit_id_reason_pk" PRIMARY KEY("event_id","unit_id","reason")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"category_code" text NOT NULL,
	"level" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"learned_at" timestamp with time zone,
	"registered_at" timestamp with time zone NOT NULL,
	"place" jsonb NOT NULL,
	"responsible_unit_id" uuid NOT NULL,
	"registered_by_unit_id" uuid NOT NULL,
	"registered_by_user_id" uuid NOT NULL,
	"source" text NOT NULL,
	"summary" text,
	"casualties" jsonb NOT NULL,
	"direct_loss_yuan" numeric(18, 2),
	"flags" jsonb NOT NULL,
	"inverted_flow" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"must_report" jsonb NOT NULL,
	"timeliness_version" integer NOT NULL,
	"must_report_version" integer NOT NULL,
	"responsible_department_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"requested_at" timestamp with time zone,
	"active_response" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_at" timestamp with time zone,
	"merged_into_id" uuid,
	"classification" text DEFAULT 'public' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "instruction_targets" (
	"instruction_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"acked_at" timestamp with time zone,
	"acked_by" uuid,
	"feedback" text,
	"feedback_at" timestamp with time zone,
	"feedback_by" uuid,
	CONSTRAINT "instruction_targets_instruction_id_unit_id_pk" PRIMARY KEY("instruction_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "instructions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"report_id" uuid,
	"user_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"text" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "event_publications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"text" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"user_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"step" text NOT NULL,
	"ord" integer NOT NULL,
	"status" text NOT NULL,
	"user_id" uuid,
	"at" timestamp with time zone,
	"comment" text,
	"as_role" text,
	"countersign" text DEFAULT 'none' NOT NULL,
	"countersigned_by" uuid,
	"countersigned_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "report_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"from_unit_id" uuid NOT NULL,
	"to_unit_id" uuid NOT NULL,
	"via" text NOT NULL,
	"arrived_at" timestamp with time zone NOT NULL,
	"off_hours" boolean DEFAULT false NOT NULL,
	"signed_at" timestamp with time zone,
	"signed_by" uuid,
	"acked_at" timestamp with time zone,
	"acked_by" uuid,
	"verified_at" timestamp with time zone,
	"verified_by" uuid,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "report_deliveries_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1)
);
--> statement-breakpoint
CREATE TABLE "report_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"from_unit_id" uuid NOT NULL,
	"to_unit_id" uuid NOT NULL,
	"message" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"user_id" uuid NOT NULL,
	"answered_report_id" uuid,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "report_versions" (
	"report_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"elements" jsonb NOT NULL,
	"pending_elements" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"user_id" uuid NOT NULL,
	"note" text,
	CONSTRAINT "report_versions_report_id_version_pk" PRIMARY KEY("report_id","version")
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"seq" integer DEFAULT 0 NOT NULL,
	"status" text NOT NULL,
	"elements" jsonb NOT NULL,
	"pending_elements" jsonb NOT NULL,
	"fast_track" boolean DEFAULT false NOT NULL,
	"level" text,
	"recipients" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"source_report_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"called_at" timestamp with time zone,
	"caller_name" text,
	"caller_phone" text,
	"caller_post" text,
	"caller_unit_id" uuid,
	"told_leaders" text,
	"return_reason" text,
	"contradictions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "site_contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"person" text NOT NULL,
	"phone" text,
	"content" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"data" jsonb NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone,
	"acked_at" timestamp with time zone,
	"dedupe_key" text
);
--> statement-breakpoint
CREATE TABLE "rule_sets" (
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"body" jsonb NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "rule_sets_kind_version_pk" PRIMARY KEY("kind","version")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"audience" text NOT NULL,
	"type" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deadlines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid,
	"kind" text DEFAULT 'report' NOT NULL,
	"from_unit_id" uuid NOT NULL,
	"to_unit_id" uuid,
	"channel" text NOT NULL,
	"rule_row" text NOT NULL,
	"rule_version" integer NOT NULL,
	"limit_minutes" integer NOT NULL,
	"basis" text NOT NULL,
	"base_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"missed_at" timestamp with time zone,
	"met_at" timestamp with time zone,
	"met_by_report_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"superseded_at" timestamp with time zone,
	"superseded_reason" text,
	"history" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"user_id" uuid,
	"rule_version" integer
);
--> statement-breakpoint
CREATE TABLE "timers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"ref_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"fired_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zero_report_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"root_unit_id" uuid NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date NOT NULL,
	"due_time" text DEFAULT '09:00' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zero_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"period_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"day" date NOT NULL,
	"content" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"user_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "responsible_persons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"tier" text NOT NULL,
	"user_id" uuid,
	"name" text NOT NULL,
	"post" text,
	"phone" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"level" text,
	"parent_id" uuid,
	"path" uuid[] NOT NULL,
	"division_code" text,
	"department_type" text,
	"duty_phone" text,
	"fax" text,
	"working_hours" jsonb,
	"disabled" boolean DEFAULT false NOT NULL,
	"responsible_confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_stream_seq_uq" ON "audit_log" USING btree ("stream","seq");--> statement-breakpoint
CREATE INDEX "audit_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "deductions_unit_year_idx" ON "deductions" USING btree ("unit_id","year");--> statement-breakpoint
CREATE UNIQUE INDEX "deductions_deadline_uq" ON "deductions" USING btree ("deadline_id");--> statement-breakpoint
CREATE INDEX "login_failures_user_at_idx" ON "login_failures" USING btree ("username","at");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "users_unit_idx" ON "users" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "attachments_report_idx" ON "attachments" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX "event_changes_event_idx" ON "event_changes" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "event_units_unit_idx" ON "event_units" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "events_occurred_idx" ON "events" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "events_responsible_idx" ON "events" USING btree ("responsible_unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "report_approvals_step_uq" ON "report_approvals" USING btree ("report_id","step");--> statement-breakpoint
CREATE UNIQUE INDEX "report_deliveries_uq" ON "report_deliveries" USING btree ("report_id","to_unit_id");--> statement-breakpoint
CREATE INDEX "report_deliveries_to_idx" ON "report_deliveries" USING btree ("to_unit_id","seq");--> statement-breakpoint
CREATE INDEX "report_requests_to_idx" ON "report_requests" USING btree ("to_unit_id");--> statement-breakpoint
CREATE INDEX "reports_event_idx" ON "reports" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "reports_unit_idx" ON "reports" USING btree ("unit_id","status");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "outbox_audience_id_idx" ON "outbox" USING btree ("audience","id");--> statement-breakpoint
CREATE INDEX "deadlines_event_idx" ON "deadlines" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "deadlines_from_idx" ON "deadlines" USING btree ("from_unit_id","due_at");--> statement-breakpoint
CREATE INDEX "deadlines_due_idx" ON "deadlines" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "timers_due_idx" ON "timers" USING btree ("due_at") WHERE fired_at is null and cancelled_at is null;--> statement-breakpoint
CREATE INDEX "timers_ref_idx" ON "timers" USING btree ("ref_id");--> statement-breakpoint
CREATE UNIQUE INDEX "timers_ref_kind_due_uq" ON "timers" USING btree ("ref_id","kind","due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "zero_reports_uq" ON "zero_reports" USING btree ("period_id","unit_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "responsible_persons_unit_tier_uq" ON "responsible_persons" USING btree ("unit_id","tier");--> statement-breakpoint
CREATE INDEX "units_path_gin" ON "units" USING gin ("path");--> statement-breakpoint
CREATE INDEX "units_parent_idx" ON "units" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "units_division_idx" ON "units" USING btree ("division_code");