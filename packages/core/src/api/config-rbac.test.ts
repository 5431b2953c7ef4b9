// ConfigMap, ServiceAccount, ClusterRole and ClusterRoleBinding through validateManifest.
import { describe, expect, test } from 'vitest';
import { ApiError, kubectlErrorLine, tooLong, renderFieldError } from './errors.js';
import { validateManifest, type ValidateManifestOptions } from './manifest.js';
import { goBase64DecodedLength, goJsonSyntaxError, parseGoJson } from './gojson.js';
import { isConfigMapKey, isValidPathSegmentName } from './validation.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const KEY_MSG =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const RBAC = 'rbac.authorization.k8s.io/v1';

function fail(obj: unknown, opts?: ValidateManifestOptions): ApiError {
  try {
    validateManifest(obj, { kubernetesVersion: '1.31.4', ...opts });
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected validateManifest to throw');
}

const cm = (fields: Record<string, unknown>, name = 'cfg') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...fields });
const role = (rules: unknown, name = 'flannel') => ({ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name }, rules });
const binding = (fields: Record<string, unknown>, name = 'flannel') => ({ apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name }, ...fields });
const flannelRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'flannel' };

describe('ConfigMap', () => {
  test('valid: data, binaryData and immutable kept, namespace defaulted', () => {
    expect(validateManifest(cm({ data: { 'net-conf.json': '{}\n' }, binaryData: { blob: 'AAEC' }, immutable: true }))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'default' },
      data: { 'net-conf.json': '{}\n' },
      binaryData: { blob: 'AAEC' },
      immutable: true,
    });
    expect(validateManifest(cm({}), { defaultNamespace: 'kube-flannel' })).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'kube-flannel' },
    });
  });

  test('name is a DNS subdomain', () => {
    expect(fail(cm({}, 'Bad_Name')).message).toBe(`The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`);
    expect(validateManifest(cm({}, 'kube-root-ca.crt')).metadata.name).toBe('kube-root-ca.crt');
  });

  test('data keys: IsConfigMapKey', () => {
    const e = fail(cm({ data: { 'bad key': 'x' } }));
    expect(e.reason).toBe('Invalid');
    expect(e.message).toBe(`The ConfigMap "cfg" is invalid: data[bad key]: Invalid value: "bad key": ${KEY_MSG}`);
    expect(e.serverMessage).toBe(`ConfigMap "cfg" is invalid: data[bad key]: Invalid value: "bad key": ${KEY_MSG}`);
    expect(fail(cm({ data: { '..': 'x' } })).message).toBe(`The ConfigMap "cfg" is invalid: data[..]: Invalid value: "..": must not be '..'`);
    expect(fail(cm({ binaryData: { '..x': '' } })).message).toBe(`The ConfigMap "cfg" is invalid: binaryData[..x]: Invalid value: "..x": must not start with '..'`);
    expect(fail(cm({ data: { '.': '' } })).message).toBe(`The ConfigMap "cfg" is invalid: data[.]: Invalid value: ".": must not be '.'`);
  });

  test('a key in both data and binaryData', () => {
    expect(fail(cm({ data: { a: '1' }, binaryData: { a: 'MQ==' } })).message).toBe(
      'The ConfigMap "cfg" is invalid: data[a]: Invalid value: "a": duplicate of key present in binaryData',
    );
  });

  test('several causes list in kubectl', () => {
    const e = fail(cm({ data: { 'a b': '1', a: '2' }, binaryData: { a: '' } }));
    expect(kubectlErrorLine(e)).toBe(
      ['The ConfigMap "cfg" is invalid: ', `* data[a b]: Invalid value: "a b": ${KEY_MSG}`, '* data[a]: Invalid value: "a": duplicate of key present in binaryData'].join('\n'),
    );
  });

  test('total size over 1 MiB, counting decoded binaryData; wording by version', () => {
    const max = 1024 * 1024;
    expect(validateManifest(cm({ data: { a: 'x'.repeat(max - 2) }, binaryData: { b: 'AAA=' } })).kind).toBe('ConfigMap');
    const over = cm({ data: { a: 'x'.repeat(max - 2) }, binaryData: { b: 'AAAA' } });
    expect(fail(over).message).toBe('The ConfigMap "cfg" is invalid: []: Too long: may not be more than 1048576 bytes');
    expect(fail(over, { kubernetesVersion: '1.34.2' }).message).toBe('The ConfigMap "cfg" is invalid: []: Too long: may not be more than 1048576 bytes');
    expect(fail(over, { kubernetesVersion: '1.29.0' }).message).toBe('The ConfigMap "cfg" is invalid: []: Too long: must have at most 1048576 bytes');
    // Bytes, not characters: 'é' is two.
    expect(fail(cm({ data: { a: 'é'.repeat(max / 2 + 1) } })).causes[0]!.field).toBe('[]');
  });

  test('binaryData must be base64: a decode error, not a validation error', () => {
    const e = fail(cm({ binaryData: { myname: 'chenliang' } }), { source: 'cm.yaml' });
    expect(e.reason).toBe('BadRequest');
    expect(e.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: illegal base64 data at input byte 8');
    expect(kubectlErrorLine(e, { verb: 'creating', source: 'cm.yaml' })).toBe(
      'Error from server (BadRequest): error when creating "cm.yaml": ConfigMap in version "v1" cannot be handled as a ConfigMap: illegal base64 data at input byte 8',
    );
    expect(fail(cm({ binaryData: { b: 5 } })).message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.binaryData of type []uint8',
    );
    expect(fail(cm({ data: { a: true } })).message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct field ConfigMap.data of type string',
    );
  });
});

describe('ServiceAccount', () => {
  test('valid', () => {
    expect(
      validateManifest({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'flannel', namespace: 'kube-flannel' }, automountServiceAccountToken: false, secrets: [] }),
    ).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'flannel', namespace: 'kube-flannel' }, automountServiceAccountToken: false });
  });

  test('name is a DNS subdomain', () => {
    expect(fail({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'Flannel' } }).message).toBe(
      `The ServiceAccount "Flannel" is invalid: metadata.name: Invalid value: "Flannel": ${SUBDOMAIN_MSG}`,
    );
  });
});

describe('ClusterRole', () => {
  test('valid flannel role, cluster-scoped (a namespace is dropped)', () => {
    const rules = [
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
      { nonResourceURLs: ['/healthz'], verbs: ['get'] },
    ];
    expect(validateManifest({ ...role(rules), metadata: { name: 'flannel', namespace: 'x' } })).toEqual({
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'flannel' },
      rules,
    });
  });

  test('names are path segments: colons are fine, "/", "%", "." and ".." are not', () => {
    expect(validateManifest(role([], 'system:controller:node-controller')).metadata.name).toBe('system:controller:node-controller');
    expect(fail(role([], 'a/b')).message).toBe(`The ClusterRole "a/b" is invalid: metadata.name: Invalid value: "a/b": may not contain '/'`);
    expect(fail(role([], '..')).message).toBe(`The ClusterRole ".." is invalid: metadata.name: Invalid value: "..": may not be '..'`);
    const both = fail(role([], 'a%/b'));
    expect(both.message).toBe(
      `The ClusterRole "a%/b" is invalid: [metadata.name: Invalid value: "a%/b": may not contain '/', metadata.name: Invalid value: "a%/b": may not contain '%']`,
    );
    expect(both.serverMessage.startsWith('ClusterRole.rbac.authorization.k8s.io "a%/b" is invalid: [')).toBe(true);
  });

  test('rule checks', () => {
    expect(fail(role([{ apiGroups: [''], resources: ['pods'] }])).message).toBe(
      'The ClusterRole "flannel" is invalid: rules[0].verbs: Required value: verbs must contain at least one value',
    );
    expect(fail(role([{ verbs: ['get'] }])).message).toBe(
      'The ClusterRole "flannel" is invalid: [rules[0].apiGroups: Required value: resource rules must supply at least one api group, rules[0].resources: Required value: resource rules must supply at least one resource]',
    );
    const mixed = role([{ verbs: ['get'], resources: ['pods'], nonResourceURLs: ['/healthz'] }]);
    expect(fail(mixed).message).toBe(
      'The ClusterRole "flannel" is invalid: rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: rules cannot apply to both regular resources and non-resource URLs',
    );
    expect(fail(mixed, { kubernetesVersion: '1.34.2' }).message).toBe(
      'The ClusterRole "flannel" is invalid: rules[0].nonResourceURLs: Invalid value: ["/healthz"]: rules cannot apply to both regular resources and non-resource URLs',
    );
  });

  test('rules must be a list of objects (decode)', () => {
    expect(fail(role({ verbs: ['get'] })).message).toBe(
      'ClusterRole in version "v1" cannot be handled as a ClusterRole: json: cannot unmarshal object into Go struct field ClusterRole.rules of type []v1.PolicyRule',
    );
  });
});

describe('ClusterRoleBinding', () => {
  test('valid: roleRef.apiGroup and subject apiGroups defaulted', () => {
    expect(
      validateManifest(
        binding({
          roleRef: { kind: 'ClusterRole', name: 'flannel' },
          subjects: [
            { kind: 'ServiceAccount', name: 'flannel', namespace: 'kube-flannel' },
            { kind: 'User', name: 'alice' },
            { kind: 'Group', name: 'system:nodes' },
          ],
        }),
      ),
    ).toEqual({
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'flannel' },
      roleRef: flannelRef,
      subjects: [
        { kind: 'ServiceAccount', name: 'flannel', namespace: 'kube-flannel' },
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:nodes' },
      ],
    });
  });

  test('roleRef required fields', () => {
    expect(fail(binding({})).message).toBe(
      'The ClusterRoleBinding "flannel" is invalid: [roleRef.kind: Unsupported value: "": supported values: "ClusterRole", roleRef.name: Required value]',
    );
    expect(fail(binding({ roleRef: { ...flannelRef, kind: 'Role' } })).message).toBe(
      'The ClusterRoleBinding "flannel" is invalid: roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    );
    expect(fail(binding({ roleRef: { ...flannelRef, apiGroup: 'rbac' } })).message).toBe(
      'The ClusterRoleBinding "flannel" is invalid: roleRef.apiGroup: Unsupported value: "rbac": supported values: "rbac.authorization.k8s.io"',
    );
    expect(fail(binding({ roleRef: { ...flannelRef, name: 'a/b' } })).message).toBe(
      `The ClusterRoleBinding "flannel" is invalid: roleRef.name: Invalid value: "a/b": may not contain '/'`,
    );
  });

  test('subjects: kind, name, and a namespace for ServiceAccounts', () => {
    const one = (subject: Record<string, unknown>) => fail(binding({ roleRef: flannelRef, subjects: [subject] })).message;
    expect(one({ kind: 'ServiceAccount', name: 'flannel' })).toBe('The ClusterRoleBinding "flannel" is invalid: subjects[0].namespace: Required value');
    expect(one({ kind: 'Robot', name: 'r2' })).toBe(
      'The ClusterRoleBinding "flannel" is invalid: subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    );
    expect(one({ kind: 'User' })).toBe('The ClusterRoleBinding "flannel" is invalid: subjects[0].name: Required value');
    expect(one({ kind: 'ServiceAccount', name: 'Flannel', namespace: 'kube-flannel' })).toBe(
      `The ClusterRoleBinding "flannel" is invalid: subjects[0].name: Invalid value: "Flannel": ${SUBDOMAIN_MSG}`,
    );
    expect(one({ kind: 'ServiceAccount', name: 'flannel', namespace: 'kube-flannel', apiGroup: 'rbac.authorization.k8s.io' })).toBe(
      'The ClusterRoleBinding "flannel" is invalid: subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""',
    );
    expect(one({ kind: 'Group', name: 'g', apiGroup: 'example.com' })).toBe(
      'The ClusterRoleBinding "flannel" is invalid: subjects[0].apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"',
    );
  });
});

describe('RBAC API versions', () => {
  test('v1beta1 was removed in 1.22', () => {
    const old = { ...role([]), apiVersion: 'rbac.authorization.k8s.io/v1beta1' };
    expect(fail(old).reason).toBe('NoKindMatch');
    expect(fail(old, { kubernetesVersion: '1.21.0' }).reason).toBe('KindNotSupported');
    expect(fail(old).message).toBe('no matches for kind "ClusterRole" in version "rbac.authorization.k8s.io/v1beta1"');
  });

  test('namespaced Role/RoleBinding are real but not simulated', () => {
    expect(fail({ apiVersion: RBAC, kind: 'Role', metadata: { name: 'r' } }).reason).toBe('KindNotSupported');
    expect(fail({ apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'r' } }).reason).toBe('KindNotSupported');
  });
});

describe('validators and Go codecs', () => {
  test('isConfigMapKey / isValidPathSegmentName', () => {
    expect(isConfigMapKey('cni-conf.json')).toEqual([]);
    expect(isConfigMapKey('k'.repeat(254))).toEqual(['must be no more than 253 characters']);
    expect(isConfigMapKey('')).toEqual([KEY_MSG]);
    expect(isValidPathSegmentName('.')).toEqual(["may not be '.'"]);
    expect(isValidPathSegmentName('..%')).toEqual(["may not contain '%'"]);
  });

  test('tooLong wording changed in 1.30', () => {
    expect(renderFieldError(tooLong('metadata.annotations', 262144, '1.29.9'))).toBe('metadata.annotations: Too long: must have at most 262144 bytes');
    expect(renderFieldError(tooLong('metadata.annotations', 262144, '1.30.0'))).toBe('metadata.annotations: Too long: may not be more than 262144 bytes');
  });

  test('base64 like encoding/base64 StdEncoding', () => {
    expect(goBase64DecodedLength('')).toBe(0);
    expect(goBase64DecodedLength('AAEC')).toBe(3);
    expect(goBase64DecodedLength('AA==')).toBe(1);
    expect(goBase64DecodedLength('AAA=')).toBe(2);
    expect(goBase64DecodedLength('AAEC\nAAEC\r\n')).toBe(6);
    expect(goBase64DecodedLength('AA')).toBe('illegal base64 data at input byte 0');
    expect(goBase64DecodedLength('A')).toBe('illegal base64 data at input byte 0');
    expect(goBase64DecodedLength('AAE*')).toBe('illegal base64 data at input byte 3');
    expect(goBase64DecodedLength('A===')).toBe('illegal base64 data at input byte 1');
    expect(goBase64DecodedLength('AA=')).toBe('illegal base64 data at input byte 3');
    expect(goBase64DecodedLength('AA=A')).toBe('illegal base64 data at input byte 2');
    expect(goBase64DecodedLength('AA==AA==')).toBe('illegal base64 data at input byte 4');
  });

  test('JSON syntax errors like encoding/json', () => {
    expect(goJsonSyntaxError('{"a": 1}')).toBeUndefined();
    expect(goJsonSyntaxError('')).toBe('unexpected end of JSON input');
    expect(goJsonSyntaxError('{"a": 1')).toBe('unexpected end of JSON input');
    expect(goJsonSyntaxError('{"a": 1,}')).toBe("invalid character '}' looking for beginning of object key string");
    expect(goJsonSyntaxError("{'a': 1}")).toBe("invalid character '\\'' looking for beginning of object key string");
    expect(goJsonSyntaxError('{"a" 1}')).toBe("invalid character '1' after object key");
    expect(goJsonSyntaxError('{"a": 1 "b": 2}')).toBe(`invalid character '"' after object key:value pair`);
    expect(goJsonSyntaxError('[1 2]')).toBe("invalid character '2' after array element");
    expect(goJsonSyntaxError('{} x')).toBe("invalid character 'x' after top-level value");
    expect(goJsonSyntaxError('01')).toBe("invalid character '1' after top-level value");
    expect(goJsonSyntaxError('1.')).toBe("invalid character ' ' after decimal point in numeric literal");
    expect(goJsonSyntaxError('tru')).toBe("invalid character ' ' in literal true (expecting 'e')");
    expect(goJsonSyntaxError('nul!')).toBe("invalid character '!' in literal null (expecting 'l')");
    expect(goJsonSyntaxError('"a\tb"')).toBe("invalid character '\\t' in string literal");
    expect(goJsonSyntaxError('"\\x"')).toBe("invalid character 'x' in string escape code");
    expect(goJsonSyntaxError('-x')).toBe("invalid character 'x' in numeric literal");
    expect(goJsonSyntaxError('1e+')).toBe("invalid character ' ' in exponent of numeric literal");
  });

  test('parse tree keeps order, duplicates and literals', () => {
    const t = parseGoJson('{"b": 1.50, "a": [true, null], "b": "x\\n"}');
    expect(t).toMatchObject({
      kind: 'object',
      entries: [
        ['b', { kind: 'number', raw: '1.50' }],
        ['a', { kind: 'array', items: [{ kind: 'bool', value: true }, { kind: 'null' }] }],
        ['b', { kind: 'string', value: 'x\n', raw: '"x\\n"' }],
      ],
    });
  });
});
