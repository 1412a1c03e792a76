// Unit tests of the hash router's reading of an address (router.js): node --test tests/js/dashboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRoute } from '../../../src/DurableKube.Api/Dashboard/wwwroot/router.js';

test('a route is the path after #/, split and decoded, with its parameters', () => {
  const cases = [
    ['', '/', []],
    ['#', '/', []],
    ['#/', '/', []],
    ['#/pods', '/pods', ['pods']],
    ['#/pods?namespace=web&labelSelector=app%3Dweb', '/pods', ['pods']],
    ['#/pods/my%20ns/web-0', '/pods/my%20ns/web-0', ['pods', 'my ns', 'web-0']],
    ['#/controllers/deployments/default/api', '/controllers/deployments/default/api', ['controllers', 'deployments', 'default', 'api']],
  ];
  for (const [hash, path, parts] of cases) {
    const route = parseRoute(hash);
    assert.equal(route.path, path, hash);
    assert.deepEqual(route.parts, parts, hash);
    assert.equal(route.error, undefined, hash);
  }
  const params = parseRoute('#/pods?namespace=web&labelSelector=app%3Dweb').params;
  assert.equal(params.get('namespace'), 'web');
  assert.equal(params.get('labelSelector'), 'app=web');
  assert.equal(parseRoute('#/pods?a=1?b').params.get('a'), '1?b');
});

test('a fragment that is not a route (the skip link\'s #main) is no route at all: the page stays', () => {
  for (const hash of ['#main', '#pods', '#token-help', '#%2Fpods']) assert.equal(parseRoute(hash), null, hash);
});

test('a part that is not valid percent-encoding is an error to show, not a throw', () => {
  for (const hash of ['#/pods/%E0%A4%A', '#/pods/default/%', '#/%zz']) {
    const route = parseRoute(hash);
    assert.equal(route.parts, undefined, hash);
    assert.match(route.error, /is not a page of the dashboard: part of it is not valid percent-encoding/, hash);
    assert.ok(route.error.includes(hash), hash);
  }
});
