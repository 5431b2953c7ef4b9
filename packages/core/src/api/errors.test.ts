import { describe, expect, test } from 'vitest';
import {
  ApiError,
  aggregateMessage,
  alreadyExists,
  badRequest,
  duplicate,
  forbidden,
  invalid,
  kubectlErrorLine,
  newInvalid,
  notFound,
  notSupported,
  renderFieldError,
  required,
  tooLong,
} from './errors.js';

describe('renderFieldError (field.Error.Error)', () => {
  test('each error type', () => {
    expect(renderFieldError(invalid('spec.replicas', -1, 'must be greater than or equal to 0'))).toBe('spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    expect(renderFieldError(required('spec.containers'))).toBe('spec.containers: Required value');
    expect(renderFieldError(required('metadata.name', 'name or generateName is required'))).toBe('metadata.name: Required value: name or generateName is required');
    expect(renderFieldError(notSupported('spec.restartPolicy', 'Sometimes', ['Always', 'OnFailure', 'Never']))).toBe(
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    );
    expect(renderFieldError(duplicate('spec.containers[1].name', 'web'))).toBe('spec.containers[1].name: Duplicate value: "web"');
    expect(renderFieldError(forbidden('metadata.namespace', 'not allowed on this type'))).toBe('metadata.namespace: Forbidden: not allowed on this type');
    expect(renderFieldError(tooLong('metadata.annotations', 262144))).toBe('metadata.annotations: Too long: may not be more than 262144 bytes');
    expect(renderFieldError(invalid('spec.template.metadata.labels', { app: 'x' }, '`selector` does not match template `labels`'))).toBe(
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
    );
    expect(renderFieldError(invalid('x', ['a', 'b'], 'd'))).toBe('x: Invalid value: []string{"a", "b"}: d');
  });
  test('JSON value style (1.34+)', () => {
    expect(renderFieldError(invalid('x', { app: 'x' }, 'd'), 'json')).toBe('x: Invalid value: {"app":"x"}: d');
  });
});

describe('aggregateMessage (utilerrors.Aggregate)', () => {
  test('one bare, several bracketed, duplicates dropped', () => {
    expect(aggregateMessage(['a'])).toBe('a');
    expect(aggregateMessage(['a', 'b'])).toBe('[a, b]');
    expect(aggregateMessage(['a', 'a'])).toBe('a');
    expect(aggregateMessage(['a', 'b', 'a'])).toBe('[a, b]');
  });
});

describe('newInvalid', () => {
  test('one cause', () => {
    const e = newInvalid('Pod', 'x', [required('spec.containers')]);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toBeInstanceOf(Error);
    expect(e.reason).toBe('Invalid');
    expect(e.code).toBe(422);
    expect(e.kind).toBe('Pod');
    expect(e.objectName).toBe('x');
    expect(e.message).toBe('The Pod "x" is invalid: spec.containers: Required value');
    expect(e.serverMessage).toBe('Pod "x" is invalid: spec.containers: Required value');
  });
  test('several causes use the aggregate format; the server message qualifies the kind', () => {
    const e = newInvalid('Deployment', 'web', [required('spec.selector'), invalid('spec.replicas', -1, 'must be greater than or equal to 0')], {
      group: 'apps',
    });
    expect(e.message).toBe('The Deployment "web" is invalid: [spec.selector: Required value, spec.replicas: Invalid value: -1: must be greater than or equal to 0]');
    expect(e.serverMessage).toBe('Deployment.apps "web" is invalid: [spec.selector: Required value, spec.replicas: Invalid value: -1: must be greater than or equal to 0]');
  });
  test('value style follows the cluster version', () => {
    const cause = invalid('spec.template.metadata.labels', { app: 'x' }, '`selector` does not match template `labels`');
    expect(newInvalid('Deployment', 'd', [cause], { kubernetesVersion: '1.33.0' }).message).toContain('map[string]string{"app":"x"}');
    expect(newInvalid('Deployment', 'd', [cause], { kubernetesVersion: '1.34.0' }).message).toContain('Invalid value: {"app":"x"}');
  });
});

describe('kubectlErrorLine', () => {
  test('NotFound and AlreadyExists', () => {
    const nf = notFound('pods', 'x');
    expect(nf.message).toBe('pods "x" not found');
    expect(nf.code).toBe(404);
    expect(kubectlErrorLine(nf)).toBe('Error from server (NotFound): pods "x" not found');
    const ae = alreadyExists('deployments.apps', 'web');
    expect(ae.code).toBe(409);
    expect(kubectlErrorLine(ae, { verb: 'creating', source: 'web.yaml' })).toBe(
      'Error from server (AlreadyExists): error when creating "web.yaml": deployments.apps "web" already exists',
    );
  });
  test('Invalid: one cause inline, several as a list', () => {
    expect(kubectlErrorLine(newInvalid('Pod', 'x', [required('spec.containers')]))).toBe('The Pod "x" is invalid: spec.containers: Required value');
    const e = newInvalid('Deployment', 'web', [required('spec.selector'), required('spec.template')], { group: 'apps' });
    expect(kubectlErrorLine(e)).toBe('The Deployment "web" is invalid: \n* spec.selector: Required value\n* spec.template: Required value');
  });
  test('BadRequest', () => {
    expect(kubectlErrorLine(badRequest('boom'))).toBe('Error from server (BadRequest): boom');
  });
});
