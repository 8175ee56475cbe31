-- 重大危险源: the register of major hazard sources, watched around the clock (专人24小时监控)
CREATE TABLE "hazard_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	-- the responsible unit (an enterprise, a department, or an area's office acting for it)
	"unit_id" uuid NOT NULL REFERENCES "units"("id"),
	-- the county-level area (or the owner's own area above county level) whose tree reads it
	"area_id" uuid NOT NULL REFERENCES "units"("id"),
	"place" text NOT NULL,
	"lng" double precision,
	"lat" double precision,
	"level" text,
	"description" text,
	-- the check schedule: a check-in at least every N minutes
	"check_every_minutes" integer NOT NULL,
	"last_check_at" timestamp with time zone,
	-- the check that should have come and did not (cleared by the next check)
	"missed_since" timestamp with time zone,
	"missed_count" integer DEFAULT 0 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "hazard_sources_every_ck" CHECK ("check_every_minutes" BETWEEN 5 AND 10080),
	CONSTRAINT "hazard_sources_lng_ck" CHECK ("lng" IS NULL OR "lng" BETWEEN -180 AND 180),
	CONSTRAINT "hazard_sources_lat_ck" CHECK ("lat" IS NULL OR "lat" BETWEEN -90 AND 90)
);
--> statement-breakpoint
CREATE INDEX "hazard_sources_area_idx" ON "hazard_sources" ("area_id");
--> statement-breakpoint
CREATE INDEX "hazard_sources_unit_idx" ON "hazard_sources" ("unit_id");
--> statement-breakpoint
CREATE TABLE "hazard_source_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" uuid NOT NULL REFERENCES "hazard_sources"("id"),
	"at" timestamp with time zone NOT NULL,
	"note" text,
	"abnormal" boolean DEFAULT false NOT NULL,
	"user_id" uuid NOT NULL,
	"photo_filename" text,
	"photo_mime" text,
	"photo_size" integer,
	"photo" bytea,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "hazard_source_checks_source_idx" ON "hazard_source_checks" ("source_id", "at" DESC);
--> statement-breakpoint
-- readings posted by monitoring systems (API clients)
CREATE TABLE "hazard_source_readings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" uuid NOT NULL REFERENCES "hazard_sources"("id"),
	"metric" text NOT NULL,
	"value" double precision NOT NULL,
	"unit" text,
	"at" timestamp with time zone NOT NULL,
	"alarm" boolean DEFAULT false NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "hazard_source_readings_source_idx" ON "hazard_source_readings" ("source_id", "at" DESC);
--> statement-breakpoint
-- photos a tipster adds to a tip-off (a separate upload after the form, by its receipt)
CREATE TABLE "tipoff_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tipoff_id" uuid NOT NULL REFERENCES "tipoffs"("id"),
	"filename" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"data" bytea NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "tipoff_photos_tipoff_idx" ON "tipoff_photos" ("tipoff_id");
