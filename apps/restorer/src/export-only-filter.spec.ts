import { ExportOnlyFilter } from './export-only-filter';

describe('ExportOnly', () => {
  it('exports everything when empty', () => {
    const filter = new ExportOnlyFilter([], true);
    expect(filter.includesDatabase('any')).toBe(true);
    expect(filter.includesTable('any', 's', 't')).toBe(true);
  });

  it('narrows PostgreSQL exports by database, schema and table', () => {
    const filter = new ExportOnlyFilter(['shop', 'crm.public', 'hr.payroll.salaries'], true);
    expect(filter.includesDatabase('shop')).toBe(true);
    expect(filter.includesDatabase('hr')).toBe(true);
    expect(filter.includesDatabase('other')).toBe(false);
    expect(filter.includesTable('shop', 'anything', 'at_all')).toBe(true);
    expect(filter.includesTable('crm', 'public', 'contacts')).toBe(true);
    expect(filter.includesTable('crm', 'private', 'contacts')).toBe(false);
    expect(filter.includesTable('hr', 'payroll', 'salaries')).toBe(true);
    expect(filter.includesTable('hr', 'payroll', 'bonuses')).toBe(false);
  });

  it('reads MySQL items as database.table', () => {
    const filter = new ExportOnlyFilter(['shop.orders'], false);
    expect(filter.includesDatabase('shop')).toBe(true);
    expect(filter.includesDatabase('crm')).toBe(false);
    expect(filter.includesTable('shop', 'shop', 'orders')).toBe(true);
    expect(filter.includesTable('shop', 'shop', 'customers')).toBe(false);
  });

  it('reads a MySQL item without a table as the whole database', () => {
    const filter = new ExportOnlyFilter(['shop', 'crm.contacts'], false);
    expect(filter.includesTable('shop', 'shop', 'anything')).toBe(true);
    expect(filter.includesTable('crm', 'crm', 'contacts')).toBe(true);
    expect(filter.includesTable('crm', 'crm', 'leads')).toBe(false);
    // MySQL has no schemas: a three-part item names nothing.
    expect(new ExportOnlyFilter(['crm.crm.contacts'], false).includesTable('crm', 'crm', 'contacts')).toBe(
      false,
    );
  });
});

describe('ExportOnly items that match nothing', () => {
  const listed = [
    { database: 'shop', schema: 'public', table: 'orders' },
    { database: 'shop', schema: 'sales', table: 'order_view' },
  ];

  it('names items whose database, schema or table the source does not hold, case and all', () => {
    const filter = new ExportOnlyFilter(
      [
        'shop',
        'Shop',
        'crm',
        'shop.public',
        'shop.Public',
        'shop.missing',
        'shop.public.orders',
        'shop.public.Orders',
      ],
      true,
    );
    expect(filter.unmatchedItems(['shop'], listed)).toEqual([
      'Shop',
      'crm',
      'shop.Public',
      'shop.missing',
      'shop.public.Orders',
    ]);
  });

  it('counts an object listed but not exported, such as a view, as matched', () => {
    expect(new ExportOnlyFilter(['shop.sales.order_view'], true).unmatchedItems(['shop'], listed)).toEqual(
      [],
    );
  });

  it('takes a database that holds nothing as matched by its database item', () => {
    expect(new ExportOnlyFilter(['empty'], true).unmatchedItems(['empty'], [])).toEqual([]);
  });

  it('reads MySQL items as database.table, so a three-part item never matches', () => {
    const mysqlListed = [{ database: 'shop', schema: 'shop', table: 'orders' }];
    const filter = new ExportOnlyFilter(['shop.orders', 'shop.shop.orders', 'shop.ORDERS'], false);
    expect(filter.unmatchedItems(['shop'], mysqlListed)).toEqual(['shop.shop.orders', 'shop.ORDERS']);
  });
});
