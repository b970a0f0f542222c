import { Migration } from '@mikro-orm/migrations';

/**
 * Prices are kept in the minor unit of their own currency (issue 16): 999999.99 KWD is 999999990
 * fils, past the old bound of 99999999 (999999.99 in hundredths). The bound stays 999999.99 of the
 * main unit for currencies with three or four decimals; the others keep 99999999, which the code's
 * own bound (999999 for JPY, `maxPriceMinor` in `offer-input.ts`) meets or undercuts.
 */
export class Migration20261130100000_money_minor_units extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table offers drop constraint if exists offers_price_cents_check;`);
    this.addSql(`alter table offers add constraint offers_price_cents_check check (
      price_cents >= 0 and price_cents <= case
        when currency in ('BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND') then 999999990
        when currency in ('CLF', 'UYW') then 9999999900
        else 99999999
      end);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table offers drop constraint if exists offers_price_cents_check;`);
    this.addSql(`alter table offers add constraint offers_price_cents_check check (price_cents between 0 and 99999999);`);
  }
}
