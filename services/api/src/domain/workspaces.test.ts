import { describe, expect, it } from '@jest/globals';
import { refusedWorkspaceFolder, workspaceNameFromTitle } from './workspaces.ts';

describe('workspaceNameFromTitle', () => {
  it.each([
    ['Raw Source', 'raw-source'],
    ['  Products  ', 'products'],
    ['Scale_Products (v2)!', 'scale-products-v2'],
    ['Données brutes', 'donnees-brutes'],
    ['---', ''],
    [`${'a'.repeat(49)} b c`, 'a'.repeat(49)],
  ])('workspaceNameFromTitle - %j → %j', (title, name) => {
    expect(workspaceNameFromTitle(title)).toBe(name);
  });
});

describe('refusedWorkspaceFolder', () => {
  it.each<[string, string | undefined]>([
    ['/data/raw', undefined],
    ['/tmp/scale-e2e/raw', undefined],
    ['/var/lib/scale/products', undefined],
    ['/etc', 'must not be inside the system folder /etc'],
    ['/etc/ssl', 'must not be inside the system folder /etc'],
    ['/var/run/docker', 'must not be inside the system folder /var/run'],
    ['/var/lib/docker/volumes/x', 'must not be inside the system folder /var/lib/docker'],
    ['/usr/share', 'must not be inside the system folder /usr'],
    ['/usrdata', undefined],
  ])('refusedWorkspaceFolder - %s', (path, expected) => {
    expect(refusedWorkspaceFolder(path)).toBe(expected);
  });
});
