import { Migration } from '@mikro-orm/migrations';

/**
 * The first schema: the platform read model, the outbox, consumer dedupe, and the tables of the four
 * domains. CHECK constraints restate the contract's rules so that the database is the last line.
 */
export class Migration20261125000000_initial extends Migration {
  override async up(): Promise<void> {
    // Platform read model (fed by SEED_FILE and the platform.events.v1 topic).
    this.addSql(`create table platform_users (
      id text primary key,
      email text not null,
      name text not null,
      updated_at timestamptz not null default now()
    );`);
    this.addSql(`create table platform_organizations (
      id text primary key,
      name text not null,
      updated_at timestamptz not null default now()
    );`);
    this.addSql(`create table platform_organization_members (
      organization_id text not null references platform_organizations (id) on delete cascade,
      user_id text not null,
      primary key (organization_id, user_id)
    );`);
    this.addSql(`create index platform_organization_members_user_idx on platform_organization_members (user_id);`);
    this.addSql(`create table platform_events (
      id text primary key,
      organization_id text not null,
      owner_id text not null,
      name text not null,
      is_public boolean not null default false,
      currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
      updated_at timestamptz not null default now()
    );`);
    this.addSql(`create index platform_events_organization_idx on platform_events (organization_id);`);
    this.addSql(`create table platform_sessions (
      id text primary key,
      event_id text not null,
      title text not null,
      capacity integer not null check (capacity >= 0),
      starts_at timestamptz not null,
      updated_at timestamptz not null default now()
    );`);
    this.addSql(`create index platform_sessions_event_idx on platform_sessions (event_id);`);
    this.addSql(`create table platform_registrations (
      user_id text not null,
      event_id text not null,
      ticket_tier text not null,
      cancelled_at timestamptz null,
      updated_at timestamptz not null default now(),
      primary key (user_id, event_id)
    );`);
    this.addSql(`create index platform_registrations_event_idx on platform_registrations (event_id);`);

    // Messaging: the transactional outbox and consumer dedupe by envelope id.
    this.addSql(`create table outbox_messages (
      id uuid primary key,
      topic text not null,
      message_key text not null,
      payload jsonb not null,
      created_at timestamptz not null default now(),
      available_at timestamptz not null default now(),
      attempts integer not null default 0 check (attempts >= 0),
      last_error text null,
      sent_at timestamptz null
    );`);
    this.addSql(`create index outbox_messages_pending_idx on outbox_messages (available_at, created_at) where sent_at is null;`);
    this.addSql(`create table processed_messages (
      consumer text not null,
      message_id text not null,
      processed_at timestamptz not null default now(),
      primary key (consumer, message_id)
    );`);

    // Offers.
    this.addSql(`create table offers (
      id uuid primary key,
      event_id text not null,
      title varchar(200) not null check (char_length(title) between 1 and 200),
      description varchar(5000) null,
      type text not null check (type in ('TICKET_UPGRADE', 'PHYSICAL', 'SERVICE', 'DIGITAL')),
      image_url varchar(2048) null check (image_url is null or image_url ~ '^https://'),
      price_cents bigint not null check (price_cents between 0 and 99999999),
      original_price_cents bigint null check (original_price_cents is null or original_price_cents >= price_cents),
      currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
      inventory_total integer null check (inventory_total is null or inventory_total >= 1),
      sold integer not null default 0 check (sold >= 0),
      reserved integer not null default 0 check (reserved >= 0),
      placement text null,
      is_active boolean not null default true,
      starts_at timestamptz null,
      expires_at timestamptz null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint offers_no_oversell check (inventory_total is null or sold + reserved <= inventory_total),
      constraint offers_schedule check (starts_at is null or expires_at is null or starts_at < expires_at)
    );`);
    this.addSql(`create index offers_event_idx on offers (event_id, created_at);`);
    this.addSql(`create table offer_purchases (
      id uuid primary key,
      offer_id uuid not null references offers (id),
      event_id text not null,
      user_id text not null,
      quantity integer not null check (quantity between 1 and 20),
      unit_price_cents bigint not null check (unit_price_cents >= 0),
      total_cents bigint not null check (total_cents >= 0),
      currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
      status text not null check (status in ('RESERVED', 'COMPLETED', 'CANCELLED', 'EXPIRED', 'REFUNDED', 'FAILED')),
      fulfillment_status text not null default 'PENDING'
        check (fulfillment_status in ('PENDING', 'PROCESSING', 'FULFILLED', 'FAILED')),
      fulfillment_note text null,
      tracking_reference text null,
      payment_intent_id text null unique,
      idempotency_key text not null unique,
      reservation_expires_at timestamptz null,
      completed_at timestamptz null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );`);
    this.addSql(`create index offer_purchases_offer_fulfillment_idx on offer_purchases (offer_id, fulfillment_status);`);
    this.addSql(`create index offer_purchases_user_idx on offer_purchases (user_id, created_at);`);
    this.addSql(`create index offer_purchases_reservation_idx on offer_purchases (reservation_expires_at) where status = 'RESERVED';`);

    // Ads.
    this.addSql(`create table ads (
      id uuid primary key,
      event_id text not null,
      name varchar(200) not null check (char_length(name) between 1 and 200),
      media_url varchar(2048) not null check (media_url ~* '^https?://'),
      click_url varchar(2048) not null check (click_url ~* '^https?://'),
      is_active boolean not null default true,
      starts_at timestamptz null,
      ends_at timestamptz null,
      placements text[] not null default '{}',
      target_sessions text[] not null default '{}',
      frequency_cap integer null check (frequency_cap is null or frequency_cap >= 1),
      aspect_ratio varchar(20) null check (aspect_ratio is null or aspect_ratio ~ '^[1-9][0-9]{0,3}:[1-9][0-9]{0,3}$'),
      weight integer not null default 1 check (weight between 1 and 1000),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint ads_schedule check (starts_at is null or ends_at is null or starts_at < ends_at)
    );`);
    this.addSql(`create index ads_event_idx on ads (event_id, created_at);`);
    this.addSql(`create table ad_events (
      id uuid primary key,
      ad_id uuid not null references ads (id),
      event_id text not null,
      event_type text not null check (event_type in ('IMPRESSION', 'CLICK')),
      user_id text null,
      session_id text null,
      created_at timestamptz not null default now()
    );`);
    this.addSql(`create index ad_events_ad_type_time_idx on ad_events (ad_id, event_type, created_at);`);

    // Waitlist.
    this.addSql(`create table session_capacities (
      session_id text primary key,
      event_id text not null,
      total integer not null check (total >= 0),
      used integer not null default 0 check (used >= 0),
      default_tier text null check (default_tier is null or default_tier in ('VIP', 'PREMIUM', 'STANDARD')),
      updated_at timestamptz not null default now(),
      constraint session_capacities_not_over check (used <= total)
    );`);
    this.addSql(`create table waitlist_entries (
      id uuid primary key,
      session_id text not null,
      event_id text not null,
      user_id text not null,
      priority_tier text not null check (priority_tier in ('VIP', 'PREMIUM', 'STANDARD')),
      status text not null check (status in ('WAITING', 'OFFERED', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'REMOVED', 'LEFT')),
      joined_at timestamptz not null,
      offered_at timestamptz null,
      offer_expires_at timestamptz null,
      offer_token_id uuid null,
      accepted_at timestamptz null,
      declined_at timestamptz null,
      expired_at timestamptz null,
      removed_at timestamptz null,
      left_at timestamptz null,
      updated_at timestamptz not null default now()
    );`);
    this.addSql(`create unique index waitlist_entries_one_open_per_user on waitlist_entries (session_id, user_id) where status in ('WAITING', 'OFFERED', 'ACCEPTED');`);
    this.addSql(`create index waitlist_entries_session_status_idx on waitlist_entries (session_id, status, priority_tier, joined_at);`);

    // Analytics.
    this.addSql(`create table monetization_events (
      id text primary key,
      event_id text not null,
      event_type text not null,
      offer_id uuid null,
      ad_id uuid null,
      session_id text null,
      user_id text null,
      quantity integer null check (quantity is null or quantity >= 0),
      amount_cents bigint null,
      currency char(3) null,
      created_at timestamptz not null
    );`);
    this.addSql(`create index monetization_events_event_type_time_idx on monetization_events (event_id, event_type, created_at);`);
  }

  override async down(): Promise<void> {
    for (const table of [
      'monetization_events',
      'waitlist_entries',
      'session_capacities',
      'ad_events',
      'ads',
      'offer_purchases',
      'offers',
      'processed_messages',
      'outbox_messages',
      'platform_registrations',
      'platform_sessions',
      'platform_events',
      'platform_organization_members',
      'platform_organizations',
      'platform_users',
    ]) {
      this.addSql(`drop table if exists ${table} cascade;`);
    }
  }
}
