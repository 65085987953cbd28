import { Inject, Injectable } from '@nestjs/common';
import { OnRpc } from '@snapex/bus';
import {
  CreateSnapshotRpc,
  DeleteSnapshotRpc,
  DescribeSnapshotsRpc,
  GetSnapshotStatusRpc,
  RegisterSnapshotRpc,
  RpcRequest,
  RpcResponse,
  SnapshotView,
} from '@snapex/contracts';
import { RegistryDatabase } from '../database/registry-database';
import { CreateSnapshotUseCase } from './create-snapshot.use-case';
import { DeleteSnapshotUseCase } from './delete-snapshot.use-case';
import { DescribeSnapshotsUseCase } from './describe-snapshots.use-case';
import { RegisterSnapshotUseCase } from './register-snapshot.use-case';
import { SnapshotRepository } from './snapshot.repository';

export const SNAPSHOT_RPCS = [
  CreateSnapshotRpc,
  RegisterSnapshotRpc,
  DescribeSnapshotsRpc,
  DeleteSnapshotRpc,
  GetSnapshotStatusRpc,
];

@Injectable()
export class SnapshotRpcHandler {
  constructor(
    @Inject(CreateSnapshotUseCase) private readonly createSnapshot: CreateSnapshotUseCase,
    @Inject(RegisterSnapshotUseCase) private readonly registerSnapshot: RegisterSnapshotUseCase,
    @Inject(DescribeSnapshotsUseCase) private readonly describeSnapshots: DescribeSnapshotsUseCase,
    @Inject(DeleteSnapshotUseCase) private readonly deleteSnapshot: DeleteSnapshotUseCase,
    @Inject(RegistryDatabase) private readonly database: RegistryDatabase,
    @Inject(SnapshotRepository) private readonly snapshots: SnapshotRepository,
  ) {}

  @OnRpc(CreateSnapshotRpc)
  onCreateSnapshot(request: RpcRequest<typeof CreateSnapshotRpc>): Promise<SnapshotView> {
    return this.createSnapshot.execute(
      request.accountId,
      request.kind,
      request.snapshotIdentifier,
      request.sourceIdentifier,
    );
  }

  @OnRpc(RegisterSnapshotRpc)
  onRegisterSnapshot(request: RpcRequest<typeof RegisterSnapshotRpc>): Promise<SnapshotView> {
    return this.registerSnapshot.execute(request);
  }

  @OnRpc(DescribeSnapshotsRpc)
  onDescribeSnapshots(
    request: RpcRequest<typeof DescribeSnapshotsRpc>,
  ): Promise<RpcResponse<typeof DescribeSnapshotsRpc>> {
    return this.describeSnapshots.execute(request.accountId, request.kind, request.input);
  }

  @OnRpc(DeleteSnapshotRpc)
  onDeleteSnapshot(request: RpcRequest<typeof DeleteSnapshotRpc>): Promise<SnapshotView> {
    return this.deleteSnapshot.execute(request.accountId, request.kind, request.snapshotIdentifier);
  }

  @OnRpc(GetSnapshotStatusRpc)
  async onGetSnapshotStatus(
    request: RpcRequest<typeof GetSnapshotStatusRpc>,
  ): Promise<RpcResponse<typeof GetSnapshotStatusRpc>> {
    const snapshot = await this.database.read((connection) =>
      this.snapshots.findById(connection, request.snapshotId),
    );
    return { status: snapshot?.status ?? 'missing' };
  }
}
