import { nameBasedUuid, partObjectKey } from './part-object-key';

describe('nameBasedUuid', () => {
  it('derives RFC 4122 version 5 UUIDs', () => {
    const dnsNamespace = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    expect(nameBasedUuid(dnsNamespace, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});

describe('partObjectKey', () => {
  const part = {
    taskId: '7f9d4a52-0c1e-4f3a-9b1d-2a6c8e0f4b11',
    tableIndex: 3,
    partitionIndex: 2,
    fileIndex: 0,
  };

  it('names the part file under the partition folder the way RDS does', () => {
    expect(partObjectKey('exports/id/db/public.t/2', part)).toMatch(
      /^exports\/id\/db\/public\.t\/2\/part-00000-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-c000\.gz\.parquet$/,
    );
  });

  it('gives a redelivered partition the same key, and every other partition another one', () => {
    const key = partObjectKey('p', part);
    expect(partObjectKey('p', { ...part })).toBe(key);
    expect(partObjectKey('p', { ...part, partitionIndex: 3 })).not.toBe(key);
    expect(partObjectKey('p', { ...part, tableIndex: 4 })).not.toBe(key);
    expect(partObjectKey('p', { ...part, taskId: '00000000-0000-4000-8000-000000000000' })).not.toBe(key);
  });
});
