-- A year of a busy shop's history, written straight into a migrated, empty Orderly database for
-- the analytics benchmark (`orderly-bench analytics`; run with psql -v orders=N -v months=M).
-- Every order gets the rows the real flow writes for what happened to it — the order with its
-- lines, its status-change events, its shipment with the parcel's events, and where it went so:
-- holds with their reason codes, carrier exceptions, SLA-check tasks, after-sales cases with
-- refunds, ratings and stockouts. The rollups are not written here: `orderly analytics rebuild`
-- folds them from these events, as in production.
--
-- Stage durations are drawn from skewed (exponential) distributions with different means per
-- warehouse and carrier, so percentiles, the bottleneck and breakdowns have something to find;
-- orders whose next milestone would lie in the future are still waiting in that stage.

\set ON_ERROR_STOP on
SET synchronous_commit = off;

-- A time-ordered id like the server's UUIDv7: milliseconds first, then random bits.
CREATE FUNCTION pg_temp.tid(t timestamptz) RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT encode(substring(int8send((extract(epoch FROM t) * 1000)::bigint) FROM 3 FOR 6)
                || substring(uuid_send(gen_random_uuid()) FROM 7 FOR 10), 'hex')::uuid
$$;
-- Seconds drawn from an exponential distribution with the given mean.
CREATE FUNCTION pg_temp.expo(mean double precision) RETURNS double precision LANGUAGE sql VOLATILE AS $$
  SELECT -ln(1.0 - random()) * mean
$$;

CREATE TEMP TABLE wh AS
  SELECT id, code, row_number() OVER (ORDER BY code) AS n FROM warehouses;
CREATE TEMP TABLE ch AS
  SELECT id, code FROM channels;

INSERT INTO customers (id, email, name, phone, created_at, updated_at)
SELECT gen_random_uuid(), 'c' || c || '@bench.example', 'Customer ' || c,
       '+86138' || lpad(c::text, 8, '0'), now() - interval '2 years', now() - interval '2 years'
FROM generate_series(1, 100000) c;
CREATE TEMP TABLE cust AS
  SELECT id, email, name, phone, row_number() OVER (ORDER BY id) AS n FROM customers;
CREATE INDEX ON cust (n);

-- One row per order: who, where, how, and what happened when (NULL: not yet, or never).
CREATE TEMP TABLE draw AS
SELECT i,
       now() - random() * (:months * interval '1 month') AS placed,
       random() < 0.3 AS cod,
       CASE WHEN random() < 0.65 THEN 'web-store' ELSE 'mobile-app' END AS channel,
       1 + floor(random() * 100000)::int AS customer,
       1 + floor(random() * 3)::int AS lines,
       random() AS fate,
       random() AS where_to,
       random() AS by_whom,
       random() AS after
FROM generate_series(1, :orders) i;

CREATE TEMP TABLE g AS
SELECT d.*,
       CASE WHEN d.where_to < 0.6 THEN 'SH1' WHEN d.where_to < 0.85 THEN 'BJ1' ELSE 'GZ1' END AS warehouse,
       CASE WHEN d.cod OR d.by_whom < 0.55 THEN 'SIMEX' ELSE 'SIMPOST' END AS carrier,
       d.fate < 0.06 AS held,
       (NOT d.cod AND d.fate >= 0.97) AS expires,
       (d.fate >= 0.94 AND d.fate < 0.97) AS cancels,
       d.fate >= 0.06 AND d.fate < 0.065 AS parcel_exception,
       d.fate >= 0.065 AND d.fate < 0.075 AS late
FROM draw d;
DROP TABLE draw;

-- Milestones: each one after the previous, and only if it is in the past.
CREATE TEMP TABLE m AS
SELECT g.*,
       CASE WHEN g.cod THEN g.placed
            WHEN g.expires THEN NULL
            ELSE g.placed + (20 + pg_temp.expo(300)) * interval '1 second' END AS paid
FROM g;
DROP TABLE g;
ALTER TABLE m ADD COLUMN approved timestamptz, ADD COLUMN allocated timestamptz,
  ADD COLUMN picked timestamptz, ADD COLUMN packed timestamptz, ADD COLUMN shipped timestamptz,
  ADD COLUMN delivered timestamptz, ADD COLUMN completed timestamptz, ADD COLUMN ended timestamptz;
UPDATE m SET
  ended = CASE WHEN expires THEN placed + interval '30 minutes'
               WHEN cancels THEN paid + (60 + pg_temp.expo(3600)) * interval '1 second' END,
  approved = CASE WHEN cancels OR paid IS NULL THEN NULL
                  WHEN held THEN paid + (600 + pg_temp.expo(6 * 3600)) * interval '1 second'
                  ELSE paid + (1 + random() * 3) * interval '1 second' END;
UPDATE m SET allocated = approved + random() * 2 * interval '1 second';
UPDATE m SET picked = allocated + (600 + pg_temp.expo(CASE warehouse WHEN 'BJ1' THEN 5 WHEN 'GZ1' THEN 3 ELSE 2 END * 3600.0)) * interval '1 second';
UPDATE m SET packed = picked + (120 + pg_temp.expo(1200)) * interval '1 second';
UPDATE m SET shipped = packed + (1800 + pg_temp.expo(4 * 3600)) * interval '1 second';
UPDATE m SET delivered = shipped + (43200 + pg_temp.expo(CASE carrier WHEN 'SIMEX' THEN 1.2 ELSE 2.0 END * 86400)) * interval '1 second'
  WHERE NOT late;
UPDATE m SET completed = delivered + CASE WHEN after < 0.6 THEN pg_temp.expo(2 * 86400) * interval '1 second'
                                          ELSE interval '7 days' END;
-- What is still to come has not happened yet.
UPDATE m SET completed = NULL WHERE completed > now();
UPDATE m SET delivered = NULL, completed = NULL WHERE delivered > now();
UPDATE m SET shipped = NULL, delivered = NULL WHERE shipped > now();
UPDATE m SET packed = NULL, shipped = NULL WHERE packed > now();
UPDATE m SET picked = NULL, packed = NULL WHERE picked > now();
UPDATE m SET allocated = NULL, picked = NULL WHERE allocated > now();
UPDATE m SET approved = NULL, allocated = NULL WHERE approved > now();
UPDATE m SET paid = NULL, approved = NULL WHERE paid > now();
UPDATE m SET ended = NULL WHERE ended > now();

ALTER TABLE m ADD COLUMN id uuid, ADD COLUMN shipment_id uuid, ADD COLUMN total bigint;
UPDATE m SET id = pg_temp.tid(placed),
             shipment_id = CASE WHEN allocated IS NOT NULL THEN pg_temp.tid(allocated) END;
CREATE INDEX ON m (i);

-- Lines: 1 to 3 of the 1,000 products, 1 or 2 units each.
CREATE TEMP TABLE l AS
SELECT m.i, m.id AS order_id, n AS line_no, p.id AS product_id, p.sku, p.name,
       1 + (random() < 0.2)::int AS quantity, p.price_minor,
       pg_temp.tid(m.placed) AS id
FROM m
CROSS JOIN LATERAL generate_series(1, m.lines) n
JOIN products p ON p.sku = 'SKU-' || lpad(((m.i::bigint * 7919 + n * 104729) % 1000)::text, 5, '0');
UPDATE m SET total = s.total FROM (SELECT i, sum(quantity * price_minor) AS total FROM l GROUP BY i) s WHERE s.i = m.i;

INSERT INTO orders (id, number, channel_id, idempotency_key, request_digest, customer_id, status,
  payment_status, payment_method, currency, subtotal_minor, discount_minor, shipping_minor,
  tax_minor, total_minor, customer_name, customer_email, customer_phone, ship_recipient,
  ship_phone, ship_country, ship_region, ship_city, ship_line1, ship_postal_code, coupon_codes,
  hold_reasons, created_at, updated_at, address_key, delivered_at)
SELECT m.id, 'B' || lpad(m.i::text, 9, '0'), ch.id, 'bench-' || m.i, repeat('0', 64), c.id,
  CASE WHEN m.ended IS NOT NULL THEN CASE WHEN m.expires THEN 'EXPIRED' ELSE 'CANCELLED' END
       WHEN m.completed IS NOT NULL THEN 'COMPLETED'
       WHEN m.delivered IS NOT NULL THEN 'DELIVERED'
       WHEN m.shipped IS NOT NULL THEN 'SHIPPED'
       WHEN m.allocated IS NOT NULL THEN 'IN_FULFILLMENT'
       WHEN m.approved IS NOT NULL THEN 'APPROVED'
       WHEN m.held AND m.paid IS NOT NULL THEN 'ON_HOLD'
       WHEN m.paid IS NOT NULL THEN 'CONFIRMED'
       ELSE 'PENDING_PAYMENT' END,
  CASE WHEN m.cod THEN CASE WHEN m.delivered IS NOT NULL THEN 'COD_COLLECTED' ELSE 'COD_PENDING' END
       WHEN m.paid IS NOT NULL THEN 'PAID' ELSE 'UNPAID' END,
  CASE WHEN m.cod THEN 'CASH_ON_DELIVERY' ELSE 'PREPAID' END,
  'CNY', m.total, 0, 0, 0, m.total, c.name, c.email, c.phone, c.name, c.phone, 'CN', 'Shanghai',
  'Shanghai', m.customer || ' Century Avenue', '200120', '[]', '[]', m.placed,
  coalesce(m.ended, m.completed, m.delivered, m.shipped, m.allocated, m.approved, m.paid, m.placed),
  'bench-' || m.customer, m.delivered
FROM m JOIN ch ON ch.code = m.channel JOIN cust c ON c.n = m.customer;

INSERT INTO order_lines (id, order_id, line_no, product_id, sku, name, quantity, unit_price_minor,
  discount_minor, line_total_minor)
SELECT id, order_id, line_no, product_id, sku, name, quantity, price_minor, 0, quantity * price_minor
FROM l;

-- The order's status changes, as the timeline writes them.
INSERT INTO order_events (id, order_id, at, kind, from_status, to_status, actor_kind, actor_label, reason, codes)
SELECT pg_temp.tid(e.at), m.id, e.at, 'STATUS_CHANGED', e.from_status, e.to_status, e.actor, e.label, e.reason, e.codes
FROM m CROSS JOIN LATERAL (VALUES
  (m.placed, NULL, CASE WHEN m.cod THEN 'CONFIRMED' ELSE 'PENDING_PAYMENT' END, 'PARTNER', m.channel, 'placed', NULL),
  (CASE WHEN NOT m.cod THEN m.paid END, 'PENDING_PAYMENT', 'CONFIRMED', 'SYSTEM', 'payments', 'paid', NULL),
  (CASE WHEN m.expires THEN m.ended END, 'PENDING_PAYMENT', 'EXPIRED', 'SYSTEM', 'payment window', 'not paid in time', NULL),
  (CASE WHEN m.held THEN m.paid + interval '1 second' END, 'CONFIRMED', 'ON_HOLD', 'SYSTEM', 'review', 'address to verify', '["ADDRESS_UNVERIFIED"]'),
  (CASE WHEN m.cancels THEN m.ended END, CASE WHEN m.held THEN 'ON_HOLD' ELSE 'CONFIRMED' END, 'CANCELLED', 'STAFF', 'cs@bench.example', 'customer cancelled', NULL),
  (m.approved, CASE WHEN m.held THEN 'ON_HOLD' ELSE 'CONFIRMED' END, 'APPROVED', CASE WHEN m.held THEN 'STAFF' ELSE 'SYSTEM' END, 'review', 'approved', NULL),
  (m.allocated, 'APPROVED', 'ALLOCATED', 'SYSTEM', 'allocation', 'allocated', NULL),
  (m.allocated, 'ALLOCATED', 'IN_FULFILLMENT', 'SYSTEM', 'picking', 'wave released', NULL),
  (m.shipped, 'IN_FULFILLMENT', 'SHIPPED', 'STAFF', 'wh@bench.example', 'handed over', NULL),
  (m.delivered, 'SHIPPED', 'DELIVERED', 'SYSTEM', m.carrier, 'delivered', NULL),
  (m.completed, 'DELIVERED', 'COMPLETED', 'SYSTEM', 'auto-confirm', 'completed', NULL)
) AS e(at, from_status, to_status, actor, label, reason, codes)
WHERE e.at IS NOT NULL;

INSERT INTO shipments (id, order_id, warehouse_id, status, carrier, tracking_number, created_at,
  updated_at, service_code, packaging_code, packed_weight_g, shipping_cost_minor, handed_over_at,
  exception_code)
SELECT m.shipment_id, m.id, wh.id,
  CASE WHEN m.delivered IS NOT NULL THEN 'DELIVERED'
       WHEN m.parcel_exception AND m.shipped IS NOT NULL THEN 'EXCEPTION'
       WHEN m.shipped IS NOT NULL THEN 'HANDED_OVER'
       WHEN m.packed IS NOT NULL THEN 'LABELLED'
       WHEN m.picked IS NOT NULL THEN 'PICKED'
       ELSE 'PICKING' END,
  CASE WHEN m.packed IS NOT NULL THEN m.carrier END,
  CASE WHEN m.packed IS NOT NULL THEN 'BN' || lpad(m.i::text, 10, '0') END,
  m.allocated, coalesce(m.delivered, m.shipped, m.packed, m.picked, m.allocated),
  CASE WHEN m.packed IS NOT NULL THEN 'STD' END, CASE WHEN m.packed IS NOT NULL THEN 'BOX-S' END,
  CASE WHEN m.packed IS NOT NULL THEN 300 * m.lines END,
  CASE WHEN m.packed IS NOT NULL THEN 800 END, m.shipped,
  CASE WHEN m.parcel_exception AND m.delivered IS NULL AND m.shipped IS NOT NULL THEN 'ADDRESS_UNKNOWN' END
FROM m JOIN wh ON wh.code = m.warehouse
WHERE m.shipment_id IS NOT NULL;

-- The parcel's status changes, as shipping writes them.
INSERT INTO shipment_events (id, shipment_id, order_id, warehouse_id, carrier, at, from_status, to_status)
SELECT pg_temp.tid(e.at), m.shipment_id, m.id, wh.id, CASE WHEN e.labelled THEN m.carrier END, e.at, e.from_status, e.to_status
FROM m JOIN wh ON wh.code = m.warehouse CROSS JOIN LATERAL (VALUES
  (m.allocated, NULL, 'PICKING', false),
  (m.picked, 'PICKING', 'PICKED', false),
  (m.packed, 'PICKED', 'PACKED', false),
  (m.packed, 'PACKED', 'LABELLED', true),
  (m.shipped, 'LABELLED', 'HANDED_OVER', true),
  (CASE WHEN m.parcel_exception THEN m.shipped + interval '20 hours' END, 'HANDED_OVER', 'EXCEPTION', true),
  (m.delivered, CASE WHEN m.parcel_exception THEN 'EXCEPTION' ELSE 'HANDED_OVER' END, 'DELIVERED', true)
) AS e(at, from_status, to_status, labelled)
WHERE m.shipment_id IS NOT NULL AND e.at IS NOT NULL AND e.at <= now();

-- The SLA check's tasks for parcels that never arrived in time.
INSERT INTO exception_tasks (id, shipment_id, order_id, open_shipment_id, code, source, status, detail, opened_at)
SELECT gen_random_uuid(), m.shipment_id, m.id, m.shipment_id, 'DELAYED', 'SLA_CHECK', 'OPEN',
       'parcel BN' || lpad(m.i::text, 10, '0') || ' past its promised delivery', m.shipped + interval '5 days'
FROM m WHERE m.late AND m.shipped IS NOT NULL AND m.shipped + interval '5 days' <= now();

-- Customers rate a third of the delivered orders, mostly well.
INSERT INTO order_ratings (order_id, score, rated_at)
SELECT m.id, CASE WHEN m.after < 0.05 THEN 1 WHEN m.after < 0.1 THEN 2 WHEN m.after < 0.2 THEN 3 WHEN m.after < 0.5 THEN 4 ELSE 5 END,
       m.delivered + interval '1 day'
FROM m WHERE m.delivered IS NOT NULL AND m.by_whom < 0.33 AND m.delivered + interval '1 day' <= now();

-- 4 % of the delivered orders come back about their first line; most are refunded.
CREATE TEMP TABLE cases AS
SELECT gen_random_uuid() AS id, m.i, m.id AS order_id, ch.id AS channel_id, m.delivered + interval '2 days' AS opened,
       (ARRAY['QUALITY_DEFECT','WRONG_ITEM','MISSING_ITEM','SIZE_MISMATCH','DAMAGED_IN_TRANSIT','NO_REASON'])[1 + floor(m.where_to * 6)::int] AS reason,
       m.after < 0.8 AS refunded
FROM m JOIN ch ON ch.code = m.channel
WHERE m.delivered IS NOT NULL AND m.fate >= 0.075 AND m.fate < 0.115 AND m.delivered + interval '2 days' <= now();
ALTER TABLE cases ADD COLUMN refund_id uuid;
UPDATE cases SET refund_id = gen_random_uuid() WHERE refunded;

INSERT INTO refunds (id, order_id, amount_minor, currency, status, reason, requested_by_kind,
  requested_by_label, created_at, updated_at, decided_by_label, decided_at, executed_at, case_id)
SELECT c.refund_id, c.order_id, l.quantity * l.price_minor, 'CNY', 'EXECUTED', 'after-sales case', 'STAFF',
       'cs@bench.example', c.opened + interval '3 days', c.opened + interval '4 days', 'fin@bench.example',
       c.opened + interval '4 days', c.opened + interval '4 days', c.id
FROM cases c JOIN l ON l.i = c.i AND l.line_no = 1 WHERE c.refunded;

INSERT INTO after_sales_cases (id, number, order_id, channel_id, reason, kind, status, opened_by_kind,
  opened_by_label, refund_id, refund_minor, created_at, updated_at, resolved_at)
SELECT c.id, 'ASB' || lpad(c.i::text, 9, '0'), c.order_id, c.channel_id, c.reason,
       CASE WHEN c.refunded THEN 'RETURN_AND_REFUND' ELSE 'EXCHANGE' END,
       'RESOLVED', 'PARTNER', 'web-store', c.refund_id, coalesce(r.amount_minor, 0), c.opened,
       c.opened + interval '4 days', c.opened + interval '4 days'
FROM cases c LEFT JOIN refunds r ON r.id = c.refund_id;

INSERT INTO after_sales_case_lines (id, case_id, order_line_id, sku, quantity, passed)
SELECT gen_random_uuid(), c.id, l.id, l.sku, l.quantity, l.quantity
FROM cases c JOIN l ON l.i = c.i AND l.line_no = 1;

-- 2 % of the orders wanted more of one line than there was.
INSERT INTO stockouts (id, order_id, order_line_id, sku, quantity, policy, open, at, resolved_at, resolution)
SELECT gen_random_uuid(), l.order_id, l.id, l.sku, l.quantity, 'BACKORDER', m.allocated IS NULL, m.placed,
       m.allocated, CASE WHEN m.allocated IS NOT NULL THEN 'ALLOCATED' END
FROM m JOIN l ON l.i = m.i AND l.line_no = 1
WHERE m.by_whom >= 0.98;

-- Fresh statistics, as autovacuum would have them on a live database.
ANALYZE;

SELECT count(*) AS orders, (SELECT count(*) FROM order_events) AS order_events,
       (SELECT count(*) FROM shipment_events) AS shipment_events FROM orders;
