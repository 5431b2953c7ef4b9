// Loading a Corefile as CoreDNS does at startup (or on reload): parse, turn keys into zones,
// run every plugin's setup in plugin.cfg order, and refuse duplicate listeners.

import { COREDNS_DIRECTIVES } from './directives.js';
import { Dispenser } from './dispenser.js';
import { zoneAddrs } from './names.js';
import { directiveTree, parseServerBlocks } from './parser.js';
import { setupFor } from './plugins/registry.js';
import { type Corefile, CorefileError, type ParseOptions, type PluginConfig, type ServerBlock, type ZoneAddr } from './types.js';

function zoneAddrString(z: ZoneAddr): string {
  return `${z.transport}://${z.zone}:${z.port}`;
}

/**
 * Parse and validate a Corefile the way CoreDNS does at startup; throws CorefileError.
 *
 * CoreDNS reads the Corefile with its fork of the Caddy v1 parser (github.com/coredns/caddy):
 * a lexer, a server-block parser, then InspectServerBlocks (core/dnsserver/register.go) turns
 * the block keys into zone:port pairs, and every plugin's setup function validates its own
 * tokens. Each stage has its own error wording, and those strings are what `kubectl logs` of a
 * crash-looping CoreDNS pod shows, so they are reproduced here:
 *
 *   parser:     `<file>:<line> - Error during parsing: Unknown directive 'xyz'`
 *               `<file>:<line> - Syntax error: Unexpected token 'x', expecting '}'`
 *   keys:       `zone is not a valid domain name: <host>` (no file/line: InspectServerBlocks)
 *   setup:      `plugin/<name>: <file>:<line> - Error during parsing: Wrong argument count or
 *                unexpected line ending after '<token>'` (plugin.Error wrapping c.ArgErr/c.Errf)
 *               or `plugin/<name>: <go error>` when the plugin returns a plain fmt/strconv error.
 *   servers:    `cannot serve dns://.:53 - it is already defined`
 *
 * The file name is what CoreDNS was started with: kubeadm's Deployment runs
 * `coredns -conf /etc/coredns/Corefile`, hence the default.
 *
 * Setup functions run in plugin.cfg order (the directive order), not in Corefile order, and so
 * does the request chain: the order plugins are written in has no effect in CoreDNS.
 */
export function parseCorefile(text: string, opts: ParseOptions = {}): Corefile {
  const file = opts.file ?? '/etc/coredns/Corefile';
  const files = opts.files ?? {};
  const warnings: string[] = [];
  const raw = parseServerBlocks(text, file, files, warnings);

  // InspectServerBlocks: keys → zone/port (errors carry no file:line).
  const zonesPerBlock = raw.map((b) => zoneAddrs(b.keys));

  // Setup, directive by directive in plugin.cfg order, each across all server blocks.
  const pluginsPerBlock: { idx: number; plugins: PluginConfig[] }[][] = raw.map(() => []);
  COREDNS_DIRECTIVES.forEach((name, idx) => {
    raw.forEach((b, bi) => {
      const occurrences = b.directives.filter((d) => d.name === name);
      if (occurrences.length === 0) return;
      const tokens = occurrences.flatMap((d) => d.tokens);
      const keys = (zonesPerBlock[bi] ?? []).map((z) => z.zone);
      const c = new Dispenser({ tokens, file, plugin: name, keys, files, warnings });
      const setup = setupFor(name);
      const line = occurrences[0]?.tokens[0]?.line ?? 0;
      pluginsPerBlock[bi]?.push({ idx, plugins: setup(c, line) });
    });
  });

  // MakeServers: the same zone on the same listener twice is fatal.
  const seen = new Set<string>();
  for (const zs of zonesPerBlock) {
    for (const z of zs) {
      const key = zoneAddrString(z);
      if (seen.has(key)) throw new CorefileError(`cannot serve ${key} - it is already defined`);
      seen.add(key);
    }
  }

  const serverBlocks: ServerBlock[] = raw.map((b, bi) => ({
    keys: b.keys.map((k) => k.text),
    zones: zonesPerBlock[bi] ?? [],
    line: b.keys[0]?.line ?? 0,
    directives: b.directives.map((d) => directiveTree(d.tokens)),
    plugins: (pluginsPerBlock[bi] ?? []).sort((x, y) => x.idx - y.idx).flatMap((x) => x.plugins),
  }));
  return { file, serverBlocks, warnings };
}
