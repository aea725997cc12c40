import type { ProfileService } from './profile-service';
import type { HandlerRegistry } from '../ipc/registry';

export function registerProfileIpc(registry: HandlerRegistry, deps: { profiles: ProfileService }): void {
  const { profiles } = deps;
  registry.handle('profileList', () => profiles.list());
  registry.handle('profileSave', (request) => profiles.save(request.profile, request.secret));
  registry.handle('profileRemove', async (request) => ({ removed: await profiles.remove(request.id) }));
  registry.handle('profileTest', (request) => profiles.testConnection(request.id));
}
