import { describe, expect, it } from 'vitest';
import type { PodSandbox, RuntimeContainer } from '../../state/node-agent.js';
import { crictlPs } from './crictl.js';
import { dockerImageColumn, dockerInspect, dockerInspectFormat, dockerInspectObject, dockerPs } from './docker.js';
import { ToolError } from './errors.js';

// There is no docker daemon on this machine. The expected tables below were produced by Go's
// own text/tabwriter (Go 1.19, the settings docker/cli and crictl use) and strconv.Quote,
// fed with the cells these views compute; template errors were produced by Go's text/template
// run the way docker's raw-JSON fallback runs it. See go-template.ts.

const hex = (prefix: string) => (prefix + '0'.repeat(64)).slice(0, 64);
const WEB_UID = '3b8f6a2e-9c1d-4f7a-8e5b-0d2c4a6e8f10';
const DB_UID = '7d1e5c3a-2b4f-4e6a-9c8d-1f0e2d3c4b5a';
const PAUSE_IMAGE_ID = 'sha256:e6f1816883972d4be47bd48879a08919b96afcd344132622e4d444987919323c';
const NOW = Date.parse('2024-05-01T10:30:00Z');

function container(p: Partial<RuntimeContainer> & Pick<RuntimeContainer, 'id' | 'pod' | 'podUid' | 'container' | 'created'>): RuntimeContainer {
  const [ns = 'default', name = ''] = p.pod.split('/');
  return {
    name: `k8s_${p.container}_${name}_${ns}_${p.podUid}_0`,
    image: 'registry.k8s.io/pause:3.9',
    imageId: PAUSE_IMAGE_ID,
    command: '/pause',
    pid: 1000,
    ...p,
  };
}

const webPause = container({ id: hex('1e2d3c4b5a697'), pod: 'default/web-abc', podUid: WEB_UID, container: 'POD', created: '2024-05-01T09:59:58.123Z', pid: 4211 });
const nginx = container({
  id: hex('9a7e5c3b1d2f4'),
  pod: 'default/web-abc',
  podUid: WEB_UID,
  container: 'nginx',
  created: '2024-05-01T09:59:59.900Z',
  pid: 4290,
  // dockershim creates app containers from the image ID kubelet resolved.
  image: `sha256:${hex('a8758716bb6a')}`,
  imageId: `sha256:${hex('a8758716bb6a')}`,
  command: "/docker-entrypoint.sh nginx -g 'daemon off;'",
});
const dbPause = container({ id: hex('c0ffee12d4e5f'), pod: 'default/db-0', podUid: DB_UID, container: 'POD', created: '2024-05-01T10:28:59.500Z', pid: 5102 });
const postgres = container({
  id: hex('4f2c9e1a7b3d5'),
  pod: 'default/db-0',
  podUid: DB_UID,
  container: 'postgres',
  created: '2024-05-01T10:29:58.200Z',
  pid: 5170,
  image: `sha256:${hex('8b5d3e1f0a2c4')}`,
  imageId: `sha256:${hex('8b5d3e1f0a2c4')}`,
  command: 'docker-entrypoint.sh postgres',
});
const ALL = [webPause, nginx, dbPause, postgres];

const webSandbox: PodSandbox = {
  podUid: WEB_UID,
  pod: 'default/web-abc',
  sandboxId: webPause.id,
  network: {
    netns: 'cni-6a1c0f3e-8b2d-4e57-b1d9-2f0c9a7e1b44',
    hostVeth: 'veth3f2a9c1d',
    hostIfindex: 6,
    hostMac: '4e:0b:7c:21:9d:e0',
    podIfindex: 2,
    podMac: 'b2:7c:41:08:9e:13',
    ip: 0x0af40102,
    mtu: 1450,
    hairpin: true,
  },
  containers: [webPause, nginx],
};
const dbSandbox: PodSandbox = { podUid: DB_UID, pod: 'default/db-0', sandboxId: dbPause.id, containers: [dbPause, postgres] };

const text = (lines: string[]): string => lines.map((l) => `${l}\n`).join('');

describe('docker ps', () => {
  // Go tabwriter(10, 1, 3, ' ', 0) output for these cells.
  const GO_TABLE = [
    'CONTAINER ID   IMAGE                       COMMAND                  CREATED              STATUS              PORTS     NAMES',
    `4f2c9e1a7b3d   8b5d3e1f0a2c                "docker-entrypoint.s…"   2 seconds ago        Up 1 second                   k8s_postgres_db-0_default_${DB_UID}_0`,
    `c0ffee12d4e5   registry.k8s.io/pause:3.9   "/pause"                 About a minute ago   Up About a minute             k8s_POD_db-0_default_${DB_UID}_0`,
    `9a7e5c3b1d2f   a8758716bb6a                "/docker-entrypoint.…"   30 minutes ago       Up 30 minutes                 k8s_nginx_web-abc_default_${WEB_UID}_0`,
    `1e2d3c4b5a69   registry.k8s.io/pause:3.9   "/pause"                 30 minutes ago       Up 30 minutes                 k8s_POD_web-abc_default_${WEB_UID}_0`,
  ];

  it('lays out node2 containers newest first, as docker does', () => {
    expect(dockerPs(ALL, NOW)).toBe(text(GO_TABLE));
  });

  it('CREATED uses whole seconds (the API Created field), STATUS the exact start', () => {
    // postgres was created 1.8 s ago: CREATED counts from 10:29:58 → 2 s; STATUS from 10:29:58.2 → 1 s.
    const row = dockerPs([postgres], NOW).split('\n')[1]!;
    expect(row).toContain('2 seconds ago');
    expect(row).toContain('Up 1 second ');
  });

  it('an empty list prints only the header', () => {
    expect(dockerPs([], NOW)).toBe('CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n');
  });

  it('-q prints short IDs, --no-trunc full ones', () => {
    expect(dockerPs(ALL, NOW, { quiet: true })).toBe(text(['4f2c9e1a7b3d', 'c0ffee12d4e5', '9a7e5c3b1d2f', '1e2d3c4b5a69']));
    expect(dockerPs([webPause], NOW, { quiet: true, noTrunc: true })).toBe(`${webPause.id}\n`);
    const full = dockerPs([nginx], NOW, { noTrunc: true }).split('\n')[1]!;
    expect(full.startsWith(`${nginx.id}   ${nginx.image}   `)).toBe(true);
    expect(full).toContain(`"/docker-entrypoint.sh nginx -g 'daemon off;'"`);
  });

  it.each([
    ['registry.k8s.io/pause:3.9', 'registry.k8s.io/pause:3.9'],
    ['docker.io/library/nginx:1.25', 'nginx:1.25'],
    ['docker.io/bitnami/redis:7.2', 'bitnami/redis:7.2'],
    [`nginx@sha256:${'ab'.repeat(32)}`, 'nginx'],
    [`nginx:1.25@sha256:${'ab'.repeat(32)}`, 'nginx:1.25'],
  ])('IMAGE column of %s is %s', (image, shown) => {
    expect(dockerImageColumn({ ...nginx, image, imageId: `sha256:${'f'.repeat(64)}` })).toBe(shown);
  });
});

describe('docker inspect', () => {
  it('has docker\'s shape for the pause container (network "none" under CNI)', () => {
    const o = dockerInspectObject(webPause, { sandbox: webSandbox }) as Record<string, any>;
    expect(Object.keys(o).slice(0, 6)).toEqual(['Id', 'Created', 'Path', 'Args', 'State', 'Image']);
    expect(o.Name).toBe(`/k8s_POD_web-abc_default_${WEB_UID}_0`);
    expect(o.Path).toBe('/pause');
    expect(o.Args).toEqual([]);
    expect(o.State).toMatchObject({ Status: 'running', Running: true, Pid: 4211, StartedAt: '2024-05-01T09:59:58.123Z' });
    expect(o.Image).toBe(PAUSE_IMAGE_ID);
    expect(o.HostConfig.NetworkMode).toBe('none');
    expect(o.Config.Image).toBe('registry.k8s.io/pause:3.9');
    expect(o.Config.Labels).toEqual({
      'io.kubernetes.container.name': 'POD',
      'io.kubernetes.docker.type': 'podsandbox',
      'io.kubernetes.pod.name': 'web-abc',
      'io.kubernetes.pod.namespace': 'default',
      'io.kubernetes.pod.uid': WEB_UID,
    });
    expect(Object.keys(o.NetworkSettings.Networks)).toEqual(['none']);
    expect(o.NetworkSettings.IPAddress).toBe('');
  });

  it("app containers join the sandbox namespaces (found via the node's sandboxes)", () => {
    const o = dockerInspectObject(nginx, { sandboxes: [webSandbox, dbSandbox] }) as Record<string, any>;
    expect(o.HostConfig.NetworkMode).toBe(`container:${webPause.id}`);
    expect(o.HostConfig.IpcMode).toBe(`container:${webPause.id}`);
    expect(o.Path).toBe('/docker-entrypoint.sh');
    expect(o.Args).toEqual(['nginx', '-g', 'daemon off;']);
    expect(o.ResolvConfPath).toBe(`/var/lib/docker/containers/${webPause.id}/resolv.conf`);
    expect(o.Config.Labels['io.kubernetes.sandbox.id']).toBe(webPause.id);
    expect(o.Config.Labels['io.kubernetes.container.name']).toBe('nginx');
    expect(Object.keys(o.Config.Labels)).toEqual([...Object.keys(o.Config.Labels)].sort());
    expect(o.NetworkSettings.Networks).toEqual({});
  });

  it("a hostNetwork pod's sandbox uses the host network", () => {
    expect((dockerInspectObject(dbPause, { sandbox: dbSandbox }) as any).HostConfig.NetworkMode).toBe('host');
  });

  it('prints a four-space indented array, like docker', () => {
    const out = dockerInspect(webPause, { sandbox: webSandbox });
    expect(
      out.startsWith(
        '[\n    {\n        "Id": "' +
          webPause.id +
          '",\n        "Created": "2024-05-01T09:59:58.123Z",\n        "Path": "/pause",\n        "Args": [],\n        "State": {\n            "Status": "running",',
      ),
    ).toBe(true);
    expect(out.endsWith('\n    }\n]\n')).toBe(true);
    expect(JSON.parse(out)).toHaveLength(1);
    expect(JSON.parse(dockerInspect([webPause, nginx], NOW))).toHaveLength(2);
  });
});

describe('docker inspect --format', () => {
  const fmt = (f: string, c: RuntimeContainer = webPause) => dockerInspectFormat(c, f, { sandbox: webSandbox });

  it.each([
    ['{{.State.Pid}}', '4211\n'],
    ['{{ .State.Pid }}', '4211\n'],
    ['{{ .Id }}', `${webPause.id}\n`],
    ['{{ .Name }}', `/k8s_POD_web-abc_default_${WEB_UID}_0\n`],
    ['{{ .Config.Image }}', 'registry.k8s.io/pause:3.9\n'],
    ['{{ .State.Status }}', 'running\n'],
    ['{{ .NetworkSettings.IPAddress }}', '\n'],
    ['{{.State.Running}}', 'true\n'],
    ['pid={{.State.Pid}} name={{.Name}}', `pid=4211 name=/k8s_POD_web-abc_default_${WEB_UID}_0\n`],
    ['{{- .State.Pid -}} x', '4211x\n'],
    ['{{.Args}}', '[]\n'],
    ['{{.ExecIDs}}', '[]\n'],
    ['{{index .Config.Labels "io.kubernetes.pod.name"}}', 'web-abc\n'],
    ['{{index .Config.Labels "nope"}}|', '|\n'],
    ['{{ .NetworkSettings.Networks.none.IPAddress }}x', 'x\n'],
  ])('%s', (f, out) => {
    expect(fmt(f)).toBe(out);
  });

  it('prints maps as Go does (sorted map[k:v])', () => {
    // Go: fmt of map[string]string, as in the text/template run.
    expect(fmt('{{.Config.Labels}}')).toBe(
      `map[io.kubernetes.container.name:POD io.kubernetes.docker.type:podsandbox io.kubernetes.pod.name:web-abc io.kubernetes.pod.namespace:default io.kubernetes.pod.uid:${WEB_UID}]\n`,
    );
  });

  it('json prints compact JSON', () => {
    expect(fmt('{{json .Config.Labels}}')).toBe(`${JSON.stringify((dockerInspectObject(webPause) as any).Config.Labels)}\n`);
    expect(fmt('{{json .State.Pid}}')).toBe('4211\n');
  });

  // Error texts as Go's text/template produced them on this document.
  it.each([
    ['{{.Foo}}', 'template: :1:2: executing "" at <.Foo>: map has no entry for key "Foo"'],
    ['{{ .Foo }}', 'template: :1:3: executing "" at <.Foo>: map has no entry for key "Foo"'],
    ['{{.Container.Spec.Image}}', 'template: :1:12: executing "" at <.Container.Spec.Image>: map has no entry for key "Container"'],
    ['{{ .State.Foo }}', 'template: :1:9: executing "" at <.State.Foo>: map has no entry for key "Foo"'],
    ['{{.Id.Foo}}', 'template: :1:5: executing "" at <.Id.Foo>: can\'t evaluate field Foo in type interface {}'],
    ['{{json .Foo}}', 'template: :1:7: executing "" at <.Foo>: map has no entry for key "Foo"'],
    ['line1\n  {{.Bar}}', 'template: :2:4: executing "" at <.Bar>: map has no entry for key "Bar"'],
    ['{{foo .Id}}', 'template: :1: function "foo" not defined'],
    ['{{.Id', 'template: :1: unclosed action'],
  ])('%j fails like docker', (f, msg) => {
    try {
      fmt(f);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ToolError);
      expect((e as ToolError).stderr).toBe(`template parsing error: ${msg}`);
      expect((e as ToolError).exitCode).toBe(1);
    }
  });
});

describe('crictl ps', () => {
  // Go tabwriter(20, 1, 3, ' ', 0) output for these cells. Pause containers are not listed.
  const GO_TABLE = [
    'CONTAINER           IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID              POD',
    '4f2c9e1a7b3d5       8b5d3e1f0a2c4       2 seconds ago       Running             postgres            0                   c0ffee12d4e5f       db-0',
    '9a7e5c3b1d2f4       nginx:1.25          30 minutes ago      Running             nginx               0                   1e2d3c4b5a697       web-abc',
  ];

  it("matches crictl's layout", () => {
    const web = { ...webSandbox, containers: [webPause, { ...nginx, image: 'nginx:1.25' }] };
    // crictl measures CREATED from the exact creation time: 1.8 s → "1 second"; the Go run used
    // the docker row's "2 seconds", so compare with that cell adjusted.
    const out = crictlPs([web, dbSandbox], NOW);
    expect(out).toBe(text(GO_TABLE).replace('2 seconds ago       Running', '1 second ago        Running'));
  });

  it('-q prints full IDs; --no-trunc keeps sha256 image IDs whole', () => {
    expect(crictlPs([webSandbox, dbSandbox], NOW, { quiet: true })).toBe(text([postgres.id, nginx.id]));
    expect(crictlPs([dbSandbox], NOW, { noTrunc: true })).toContain(postgres.image);
  });

  it('newer crictl adds NAMESPACE', () => {
    expect(crictlPs([dbSandbox], NOW, { namespaceColumn: true }).split('\n')[0]!.endsWith('POD                 NAMESPACE')).toBe(true);
  });
});
