CREATE TABLE "duty_handovers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"from_shift_id" uuid NOT NULL,
	"to_shift_id" uuid NOT NULL,
	"from_user_id" uuid NOT NULL,
	"to_user_id" uuid,
	"notes" text DEFAULT '' NOT NULL,
	"open_item_ids" uuid[] NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"confirmed_by" uuid
);
--> statement-breakpoint
CREATE TABLE "duty_log_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"shift_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"counterpart" text DEFAULT '' NOT NULL,
	"phone" text,
	"content" text NOT NULL,
	"open" boolean DEFAULT false NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"close_note" text,
	"event_id" uuid,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duty_reminders" (
	"unit_id" uuid NOT NULL,
	"holiday_key" text NOT NULL,
	"kind" text NOT NULL,
	"day" date NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duty_roster_publications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"holiday_key" text NOT NULL,
	"holiday_name" text NOT NULL,
	"from_day" date NOT NULL,
	"to_day" date NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"published_by" uuid NOT NULL,
	"late" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duty_settings" (
	"unit_id" uuid PRIMARY KEY NOT NULL,
	"shifts" jsonb NOT NULL,
	"publish_lead_days" integer DEFAULT 7 NOT NULL,
	"spot_check_minutes" integer DEFAULT 3 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "duty_shifts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"day" date NOT NULL,
	"shift_code" text NOT NULL,
	"shift_name" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"officer_id" uuid,
	"leader_id" uuid,
	"checked_in_at" timestamp with time zone,
	"checked_in_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "duty_swaps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"shift_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"role" text NOT NULL,
	"from_user_id" uuid,
	"to_user_id" uuid NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text
);
--> statement-breakpoint
CREATE TABLE "spot_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"from_unit_id" uuid NOT NULL,
	"target_unit_id" uuid NOT NULL,
	"started_by" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"shift_id" uuid,
	"notified_user_ids" uuid[] NOT NULL,
	"answered_at" timestamp with time zone,
	"answered_by" uuid,
	"response_seconds" integer,
	"missed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notification_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"notification_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"step" integer NOT NULL,
	"channel" text NOT NULL,
	"endpoint_id" uuid,
	"after_minutes" integer DEFAULT 0 NOT NULL,
	"message_id" text NOT NULL,
	"status" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claim_token" uuid,
	"lease_until" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"last_error" text,
	"target" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_rules" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"email" text,
	"phone" text,
	"deputy_user_id" uuid,
	"steps" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notify_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"config" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"unit_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "event_id" uuid;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "watchers" uuid[];--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "escalated_from_id" uuid;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "escalation_depth" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "ack_note" text;--> statement-breakpoint
CREATE UNIQUE INDEX "duty_handovers_from_uq" ON "duty_handovers" USING btree ("from_shift_id");--> statement-breakpoint
CREATE INDEX "duty_handovers_to_idx" ON "duty_handovers" USING btree ("to_shift_id");--> statement-breakpoint
CREATE INDEX "duty_log_shift_idx" ON "duty_log_entries" USING btree ("shift_id","at");--> statement-breakpoint
CREATE INDEX "duty_log_open_idx" ON "duty_log_entries" USING btree ("unit_id") WHERE open and closed_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "duty_reminders_uq" ON "duty_reminders" USING btree ("unit_id","holiday_key","kind","day");--> statement-breakpoint
CREATE UNIQUE INDEX "duty_roster_pub_uq" ON "duty_roster_publications" USING btree ("unit_id","holiday_key");--> statement-breakpoint
CREATE UNIQUE INDEX "duty_shifts_unit_day_code_uq" ON "duty_shifts" USING btree ("unit_id","day","shift_code");--> statement-breakpoint
CREATE INDEX "duty_shifts_unit_time_idx" ON "duty_shifts" USING btree ("unit_id","starts_at");--> statement-breakpoint
CREATE INDEX "duty_shifts_officer_idx" ON "duty_shifts" USING btree ("officer_id","starts_at");--> statement-breakpoint
CREATE INDEX "duty_shifts_leader_idx" ON "duty_shifts" USING btree ("leader_id","starts_at");--> statement-breakpoint
CREATE INDEX "duty_swaps_unit_idx" ON "duty_swaps" USING btree ("unit_id","status");--> statement-breakpoint
CREATE INDEX "spot_checks_target_idx" ON "spot_checks" USING btree ("target_unit_id","started_at");--> statement-breakpoint
CREATE INDEX "spot_checks_due_idx" ON "spot_checks" USING btree ("due_at") WHERE status = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "notification_deliveries_step_uq" ON "notification_deliveries" USING btree ("notification_id","step");--> statement-breakpoint
CREATE INDEX "notification_deliveries_due_idx" ON "notification_deliveries" USING btree ("due_at") WHERE status in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "notifications_unread_idx" ON "notifications" USING btree ("user_id") WHERE read_at is null;