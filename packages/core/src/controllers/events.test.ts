import { describe, expect, it } from 'vitest';
import { deploymentInput } from '@k8s-netsim/testing';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { setAutoFreeze } from '../util/immer.js';
import { clusterEvents } from './events.js';
import { applyObjects, scaleObject } from './transitions.js';

describe('recordEvent', () => {
  // Events are appended in place to the chunks a transition made: a state already returned must
  // never see the next transition's events, whether states are frozen (tests) or not (benchmarks).
  for (const frozen of [true, false]) {
    it(`leaves the events of earlier states as they were (auto-freeze ${frozen ? 'on' : 'off'})`, () => {
      const previous = setAutoFreeze(frozen);
      try {
        const s0 = bootstrapCluster();
        const s1 = applyObjects(s0, [deploymentInput('web', 3)]).state;
        const seen0 = JSON.stringify(clusterEvents(s0));
        const seen1 = JSON.stringify(clusterEvents(s1));
        const s2 = scaleObject(s1, 'Deployment', 'default', 'web', 40);
        const s3 = scaleObject(s2, 'Deployment', 'default', 'web', 1);
        expect(JSON.stringify(clusterEvents(s0))).toBe(seen0);
        expect(JSON.stringify(clusterEvents(s1))).toBe(seen1);
        // Each later state holds the earlier one's events, then its own, in order.
        const e1 = clusterEvents(s1);
        const e2 = clusterEvents(s2);
        const e3 = clusterEvents(s3);
        expect(e2.slice(0, e1.length)).toEqual(e1);
        expect(e3.slice(0, e2.length)).toEqual(e2);
        const added = e2.slice(e1.length);
        expect(added.filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(37);
        expect(added.filter((e) => e.reason === 'Scheduled')).toHaveLength(37);
        expect(e3.slice(e2.length).filter((e) => e.reason === 'SuccessfulDelete')).toHaveLength(39);
      } finally {
        setAutoFreeze(previous);
      }
    });
  }
});
