import { parseFilters, parseMaxRecords, UsageError } from './arguments';

describe('command-line arguments', () => {
  it('reads --filters in the AWS CLI shorthand, one filter per argument', () => {
    expect(parseFilters(['Name=status,Values=starting,failed', 'Name=s3-bucket,Values=my-bucket'])).toEqual([
      { Name: 'status', Values: ['starting', 'failed'] },
      { Name: 's3-bucket', Values: ['my-bucket'] },
    ]);
    expect(parseFilters(['Name=status,Values=[complete,canceled]'])).toEqual([
      { Name: 'status', Values: ['complete', 'canceled'] },
    ]);
  });

  it('reads --filters as JSON', () => {
    expect(parseFilters(['[{"Name":"status","Values":["failed"]}]'])).toEqual([
      { Name: 'status', Values: ['failed'] },
    ]);
    expect(
      parseFilters(['{"Name":"source-arn","Values":["arn:aws:rds:us-east-1:123456789012:cluster:a"]}']),
    ).toEqual([{ Name: 'source-arn', Values: ['arn:aws:rds:us-east-1:123456789012:cluster:a'] }]);
  });

  it.each(['status', 'Values=a', 'Name=status,Values=a,Extra=b', '[{"Name":"status"}]', '[{'])(
    'refuses the filter %s',
    (argument) => expect(() => parseFilters([argument])).toThrow(UsageError),
  );

  it('reads --max-records as an integer', () => {
    expect(parseMaxRecords('20')).toBe(20);
    expect(() => parseMaxRecords('twenty')).toThrow(UsageError);
  });
});
