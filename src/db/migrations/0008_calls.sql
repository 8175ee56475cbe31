-- Phone both ways (issue #11 point 2): a phone report is a call, recorded by the receiving office ("incoming",
-- confirmed by being recorded) or by the calling unit itself ("outgoing", pending until an office of the area it
-- called confirms or disputes it). The same call recorded by both sides is linked (same_call_as) and counts once.
ALTER TABLE "reports" ADD COLUMN IF NOT EXISTS "direction" text;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN IF NOT EXISTS "to_unit_id" uuid;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN IF NOT EXISTS "to_area_id" uuid;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN IF NOT EXISTS "answered_by" text;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN IF NOT EXISTS "confirmation" text;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN IF NOT EXISTS "confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN IF NOT EXISTS "confirmed_by" uuid;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN IF NOT EXISTS "dispute_reason" text;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN IF NOT EXISTS "same_call_as" uuid;--> statement-breakpoint
-- phone reports recorded before: incoming calls, confirmed by being recorded, received by the recording area
UPDATE "reports" r SET "direction" = 'incoming', "confirmation" = 'confirmed',
  "to_area_id" = (SELECT d."to_unit_id" FROM "report_deliveries" d WHERE d."report_id" = r."id" AND d."via" = 'phone' LIMIT 1),
  "to_unit_id" = (SELECT d."to_unit_id" FROM "report_deliveries" d WHERE d."report_id" = r."id" AND d."via" = 'phone' LIMIT 1)
  WHERE r."kind" = 'phone' AND r."direction" IS NULL;--> statement-breakpoint
-- the calls an area still has to confirm, and the calls of one caller on one event (pairing both sides' records)
CREATE INDEX IF NOT EXISTS "reports_pending_calls_idx" ON "reports" USING btree ("to_area_id") WHERE "confirmation" = 'pending';
