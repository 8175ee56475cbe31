-- 一网五库: the registers (warehouses, teams, experts, shelters) in one table with their kind's own fields,
-- stock per warehouse and item with batches by expiry and every move recorded, dispatches to events,
-- plans with versions (tasks per response level, supplies) and their activations on events.
CREATE TABLE "resource_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"unit_id" uuid NOT NULL REFERENCES "units"("id"),
	-- who reads it: the owner's path (the areas above) and its county-level area (the county's subtree)
	"owner_path" uuid[] NOT NULL,
	"scope_area_id" uuid NOT NULL REFERENCES "units"("id"),
	"name" text NOT NULL,
	"address" text,
	"lng" double precision,
	"lat" double precision,
	"contact_name" text,
	"phone" text,
	-- teams and shelters: ready, standby, deployed, unavailable
	"readiness" text,
	-- teams and experts: the event categories they serve (matched as a tree)
	"category_codes" text[] DEFAULT '{}' NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	-- 人防工程, 指挥所 and 重要经济目标 are internal (visibility in the application, every read logged)
	CONSTRAINT "resource_entries_kind_ck" CHECK ("kind" IN ('warehouse', 'team', 'expert', 'shelter', 'air_defence_work', 'command_post', 'key_target')),
	CONSTRAINT "resource_entries_readiness_ck" CHECK ("readiness" IS NULL OR "readiness" IN ('ready', 'standby', 'deployed', 'unavailable')),
	CONSTRAINT "resource_entries_lng_ck" CHECK ("lng" IS NULL OR ("lng" BETWEEN -180 AND 180)),
	CONSTRAINT "resource_entries_lat_ck" CHECK ("lat" IS NULL OR ("lat" BETWEEN -90 AND 90))
);
--> statement-breakpoint
CREATE INDEX "resource_entries_kind_scope_idx" ON "resource_entries" ("kind", "scope_area_id");
--> statement-breakpoint
CREATE INDEX "resource_entries_owner_path_idx" ON "resource_entries" USING gin ("owner_path");
--> statement-breakpoint
-- one row per warehouse and item: the unit (fixed by the first receipt) and the total, locked by every move
CREATE TABLE "stock_items" (
	"warehouse_id" uuid NOT NULL REFERENCES "resource_entries"("id"),
	"item_code" text NOT NULL,
	"item_name" text NOT NULL,
	"unit" text NOT NULL,
	"quantity" numeric(18, 3) DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stock_items_pk" PRIMARY KEY ("warehouse_id", "item_code"),
	CONSTRAINT "stock_items_never_negative_ck" CHECK ("quantity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "stock_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"warehouse_id" uuid NOT NULL,
	"item_code" text NOT NULL,
	"expires_on" date,
	"quantity" numeric(18, 3) NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stock_batches_item_fk" FOREIGN KEY ("warehouse_id", "item_code") REFERENCES "stock_items"("warehouse_id", "item_code"),
	CONSTRAINT "stock_batches_never_negative_ck" CHECK ("quantity" >= 0)
);
--> statement-breakpoint
CREATE INDEX "stock_batches_item_idx" ON "stock_batches" ("warehouse_id", "item_code", "expires_on");
--> statement-breakpoint
CREATE TABLE "stock_moves" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"warehouse_id" uuid NOT NULL REFERENCES "resource_entries"("id"),
	"to_warehouse_id" uuid REFERENCES "resource_entries"("id"),
	"item_code" text NOT NULL,
	"quantity" numeric(18, 3) NOT NULL,
	"unit" text NOT NULL,
	"event_id" uuid REFERENCES "events"("id"),
	"expires_on" date,
	"reason" text,
	-- the batches taken (out, transfer, loss): [{expiresOn, quantity}]
	"batches" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"user_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "stock_moves_kind_ck" CHECK ("kind" IN ('in', 'out', 'transfer', 'loss')),
	CONSTRAINT "stock_moves_quantity_ck" CHECK ("quantity" > 0)
);
--> statement-breakpoint
CREATE INDEX "stock_moves_warehouse_idx" ON "stock_moves" ("warehouse_id", "at");
--> statement-breakpoint
CREATE INDEX "stock_moves_event_idx" ON "stock_moves" ("event_id");
--> statement-breakpoint
CREATE TABLE "event_allocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL REFERENCES "events"("id"),
	"warehouse_id" uuid NOT NULL REFERENCES "resource_entries"("id"),
	"item_code" text NOT NULL,
	"quantity" numeric(18, 3) NOT NULL,
	"unit" text NOT NULL,
	"status" text NOT NULL,
	"move_id" uuid NOT NULL REFERENCES "stock_moves"("id"),
	"dispatched_by" uuid NOT NULL,
	"dispatched_at" timestamp with time zone NOT NULL,
	CONSTRAINT "event_allocations_status_ck" CHECK ("status" IN ('dispatched'))
);
--> statement-breakpoint
CREATE INDEX "event_allocations_event_idx" ON "event_allocations" ("event_id");
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"owner_unit_id" uuid NOT NULL REFERENCES "units"("id"),
	"owner_path" uuid[] NOT NULL,
	"scope_area_id" uuid NOT NULL REFERENCES "units"("id"),
	-- the area whose leaders activate it (the owner itself for an area)
	"owner_area_id" uuid NOT NULL REFERENCES "units"("id"),
	"category_codes" text[] NOT NULL,
	"levels" text[] NOT NULL,
	"revise_by" date NOT NULL,
	"version_in_force" integer NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "plans_kind_ck" CHECK ("kind" IN ('overall', 'special', 'department', 'air_defence'))
);
--> statement-breakpoint
CREATE INDEX "plans_scope_idx" ON "plans" ("scope_area_id");
--> statement-breakpoint
CREATE INDEX "plans_owner_path_idx" ON "plans" USING gin ("owner_path");
--> statement-breakpoint
CREATE TABLE "plan_versions" (
	"plan_id" uuid NOT NULL REFERENCES "plans"("id"),
	"version" integer NOT NULL,
	"status" text NOT NULL,
	-- [{level, title, unitId, withinMinutes}]
	"tasks" jsonb NOT NULL,
	-- [{itemCode, quantity}]
	"supplies" jsonb NOT NULL,
	-- what the revision changes and why (drill findings, new departments …)
	"note" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "plan_versions_pk" PRIMARY KEY ("plan_id", "version"),
	CONSTRAINT "plan_versions_status_ck" CHECK ("status" IN ('draft', 'review', 'published'))
);
--> statement-breakpoint
CREATE TABLE "plan_activations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	-- the order they were made in (several may share one clock reading)
	"seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
	"plan_id" uuid NOT NULL REFERENCES "plans"("id"),
	"event_id" uuid NOT NULL REFERENCES "events"("id"),
	"level" text NOT NULL,
	"plan_version" integer NOT NULL,
	-- [{taskId, title, unitId, withinMinutes}]
	"tasks" jsonb NOT NULL,
	"warning" text,
	"activated_by" uuid NOT NULL,
	"activated_unit_id" uuid NOT NULL,
	"activated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "plan_activations_once_uq" UNIQUE ("plan_id", "event_id", "level")
);
--> statement-breakpoint
CREATE INDEX "plan_activations_event_idx" ON "plan_activations" ("event_id");
--> statement-breakpoint
-- a unit that may not dispatch asks: the warehouse area's principal or people on duty approve (which dispatches)
-- or decline it
CREATE TABLE "allocation_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL REFERENCES "events"("id"),
	"warehouse_id" uuid NOT NULL REFERENCES "resource_entries"("id"),
	"item_code" text NOT NULL,
	"quantity" numeric(18, 3) NOT NULL,
	"reason" text,
	"status" text NOT NULL,
	"requested_by" uuid NOT NULL,
	"requesting_unit_id" uuid NOT NULL REFERENCES "units"("id"),
	"requested_at" timestamp with time zone NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decline_reason" text,
	"allocation_id" uuid REFERENCES "event_allocations"("id"),
	CONSTRAINT "allocation_requests_status_ck" CHECK ("status" IN ('requested', 'approved', 'declined')),
	CONSTRAINT "allocation_requests_quantity_ck" CHECK ("quantity" > 0)
);
--> statement-breakpoint
CREATE INDEX "allocation_requests_event_idx" ON "allocation_requests" ("event_id");
--> statement-breakpoint
CREATE INDEX "allocation_requests_warehouse_idx" ON "allocation_requests" ("warehouse_id", "status");
--> statement-breakpoint
-- a team sent to an event: deployed (its readiness `deployed`) until released (back to `ready`)
CREATE TABLE "team_deployments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL REFERENCES "events"("id"),
	"team_id" uuid NOT NULL REFERENCES "resource_entries"("id"),
	"deployed_by" uuid NOT NULL,
	"deployed_at" timestamp with time zone NOT NULL,
	"released_by" uuid,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "team_deployments_event_idx" ON "team_deployments" ("event_id");
--> statement-breakpoint
CREATE UNIQUE INDEX "team_deployments_one_open_uq" ON "team_deployments" ("team_id") WHERE "released_at" IS NULL;
