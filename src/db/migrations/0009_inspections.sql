-- 大检查: campaigns with sectors and lead departments, inspection visits, hazards (隐患) with photos,
-- public tip-offs (举报) and the per-client counters that rate-limit the public form across instances.
CREATE TABLE "inspection_campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date NOT NULL,
	"area_id" uuid NOT NULL REFERENCES "units"("id"),
	"issuer_unit_id" uuid NOT NULL REFERENCES "units"("id"),
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "inspection_campaigns_period_ck" CHECK ("from_date" <= "to_date")
);
--> statement-breakpoint
CREATE TABLE "inspection_campaign_sectors" (
	"campaign_id" uuid NOT NULL REFERENCES "inspection_campaigns"("id"),
	"sector" text NOT NULL,
	"lead_unit_id" uuid NOT NULL REFERENCES "units"("id"),
	"ord" integer NOT NULL,
	CONSTRAINT "inspection_campaign_sectors_pk" PRIMARY KEY ("campaign_id", "sector")
);
--> statement-breakpoint
CREATE TABLE "inspection_campaign_units" (
	"campaign_id" uuid NOT NULL REFERENCES "inspection_campaigns"("id"),
	"unit_id" uuid NOT NULL REFERENCES "units"("id"),
	CONSTRAINT "inspection_campaign_units_pk" PRIMARY KEY ("campaign_id", "unit_id")
);
--> statement-breakpoint
CREATE TABLE "inspection_visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid REFERENCES "inspection_campaigns"("id"),
	"place" text NOT NULL,
	"sector" text NOT NULL,
	"unit_id" uuid NOT NULL REFERENCES "units"("id"),
	"visited_at" timestamp with time zone NOT NULL,
	"findings" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "inspection_visits_campaign_idx" ON "inspection_visits" ("campaign_id");
--> statement-breakpoint
CREATE TABLE "hazards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid REFERENCES "inspection_campaigns"("id"),
	"visit_id" uuid NOT NULL REFERENCES "inspection_visits"("id"),
	"place" text NOT NULL,
	"sector" text NOT NULL,
	"severity" text NOT NULL,
	"description" text NOT NULL,
	"responsible_unit_id" uuid NOT NULL REFERENCES "units"("id"),
	"recording_unit_id" uuid NOT NULL REFERENCES "units"("id"),
	"lead_unit_id" uuid REFERENCES "units"("id"),
	"area_id" uuid NOT NULL REFERENCES "units"("id"),
	-- who sees the hazard: the responsible unit's path, the recording unit's path, the lead department
	"scope_units" uuid[] NOT NULL,
	"status" text NOT NULL,
	"found_at" timestamp with time zone NOT NULL,
	"rectify_by" timestamp with time zone NOT NULL,
	"first_rectify_by" timestamp with time zone NOT NULL,
	"reported_at" timestamp with time zone,
	"rectification_text" text,
	"sent_back_count" integer DEFAULT 0 NOT NULL,
	"verify_note" text,
	-- measures taken: suspend (停产整顿, until verified closed), closure_proposed (提请强制关闭)
	"measures" text[] DEFAULT '{}' NOT NULL,
	-- 联合执法: the departments taking part and the penalty
	"enforcement_unit_ids" uuid[] DEFAULT '{}' NOT NULL,
	"penalty" text,
	"closed_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "hazards_severity_ck" CHECK ("severity" IN ('general', 'major')),
	CONSTRAINT "hazards_status_ck" CHECK ("status" IN ('open', 'reported', 'closed'))
);
--> statement-breakpoint
CREATE INDEX "hazards_scope_idx" ON "hazards" USING gin ("scope_units");
--> statement-breakpoint
CREATE INDEX "hazards_campaign_idx" ON "hazards" ("campaign_id");
--> statement-breakpoint
CREATE INDEX "hazards_open_due_idx" ON "hazards" ("rectify_by") WHERE "status" = 'open';
--> statement-breakpoint
CREATE TABLE "hazard_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hazard_id" uuid NOT NULL REFERENCES "hazards"("id"),
	"filename" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"data" bytea NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"user_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE INDEX "hazard_photos_hazard_idx" ON "hazard_photos" ("hazard_id");
--> statement-breakpoint
-- 安委办: the unit acting as an area's safety committee office (absent: the area's government office)
CREATE TABLE "area_safety_offices" (
	"area_id" uuid PRIMARY KEY NOT NULL REFERENCES "units"("id"),
	"unit_id" uuid NOT NULL REFERENCES "units"("id")
);
--> statement-breakpoint
CREATE TABLE "tipoffs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	-- sha-256 of the normalized receipt: the receipt itself is only ever shown to the tipster
	"receipt_hash" text NOT NULL,
	"text" text NOT NULL,
	"place" text,
	"contact" text,
	"division_code" text,
	"area_id" uuid NOT NULL REFERENCES "units"("id"),
	"assigned_unit_id" uuid REFERENCES "units"("id"),
	"status" text NOT NULL,
	"note" text,
	"result" text,
	"reward_note" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "tipoffs_status_ck" CHECK ("status" IN ('received', 'investigating', 'closed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "tipoffs_receipt_uq" ON "tipoffs" ("receipt_hash");
--> statement-breakpoint
CREATE INDEX "tipoffs_area_idx" ON "tipoffs" ("area_id", "created_at");
--> statement-breakpoint
CREATE TABLE "public_rate_counters" (
	"bucket" text NOT NULL,
	"client" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer NOT NULL,
	CONSTRAINT "public_rate_counters_pk" PRIMARY KEY ("bucket", "client", "window_start")
);
--> statement-breakpoint
CREATE INDEX "public_rate_counters_window_idx" ON "public_rate_counters" ("window_start");
