-- The intake list (emergency.queries.ts listIntake): one unit's deliveries, unsigned first, newest first, in
-- exactly the order of its ORDER BY, so the first page is read from the index instead of sorting every report.
CREATE INDEX IF NOT EXISTS "report_deliveries_intake_idx" ON "report_deliveries" USING btree
  ("to_unit_id", ((("signed_at" IS NULL))::int) DESC, "arrived_at" DESC, "id" DESC) WHERE "via" <> 'phone';--> statement-breakpoint
-- an event's 调度/催报 thread (getEvent) without a scan of every request
CREATE INDEX IF NOT EXISTS "report_requests_event_idx" ON "report_requests" USING btree ("event_id","at");
