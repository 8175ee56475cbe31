ALTER TABLE "deductions" ADD COLUMN "finding_id" uuid;--> statement-breakpoint
ALTER TABLE "deductions" ADD COLUMN "deadline_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "deductions" ADD COLUMN "offence_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "deductions" ADD COLUMN "data" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "scope_unit_id" uuid;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "issuer_name" text;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "body" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "rule_version" integer;--> statement-breakpoint
ALTER TABLE "deadlines" ADD COLUMN "zero_period_id" uuid;--> statement-breakpoint
ALTER TABLE "deadlines" ADD COLUMN "zero_day" date;--> statement-breakpoint
ALTER TABLE "zero_report_periods" ADD COLUMN "days" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "zero_report_periods" ADD COLUMN "unit_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "zero_report_periods" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "deductions_finding_uq" ON "deductions" USING btree ("finding_id");--> statement-breakpoint
CREATE INDEX "deductions_notice_idx" ON "deductions" USING btree ("notice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "notices_issuer_year_seq_uq" ON "notices" USING btree ("issuing_unit_id","year","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "deadlines_zero_uq" ON "deadlines" USING btree ("zero_period_id","from_unit_id","zero_day");