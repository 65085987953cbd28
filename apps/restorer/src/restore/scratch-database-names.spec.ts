import { ScratchDatabaseNames } from './scratch-database-names';

describe('scratch database names', () => {
  const names = new ScratchDatabaseNames('snapex_scratch_');
  const taskId = '0b5e1c2a-9f3d-4c1e-8a7b-1234567890ab';

  it('derives the name from the task id and the database ordinal', () => {
    expect(names.nameFor(taskId, 1)).toBe('snapex_scratch_0b5e1c2a9f3d4c1e8a7b1234567890ab_1');
    expect(names.nameFor(taskId, 12).length).toBeLessThanOrEqual(63);
  });

  it('reads the task back from a name it made', () => {
    expect(names.taskIdOf(names.nameFor(taskId, 3))).toBe(taskId);
  });

  it('ignores names it did not make', () => {
    expect(names.taskIdOf('orders')).toBeNull();
    expect(names.taskIdOf('snapex_scratch_notatask_1')).toBeNull();
    expect(names.taskIdOf(`${names.nameFor(taskId, 1)}_extra`)).toBeNull();
    expect(names.taskIdOf('snapex_scratch_0b5e1c2a9f3d4c1e8a7b1234567890ab_')).toBeNull();
  });
});
