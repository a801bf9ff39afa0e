// Drives 7digital's own Node SDK (npm `7digital-api`) against `sevendigital serve`.
//
// Environment: SDK_DIR (the installed package), the SDK's own settings _7D_API_CLIENT_HOST,
// _7D_API_CLIENT_SSL_HOST, _7D_API_CLIENT_PORT, _7D_API_CLIENT_PREFIX=empty and
// _7D_API_CLIENT_CONSUMER_KEY/_SECRET, and the ids to use: RELEASE_ID, ARTIST_ID, TRACK_ID,
// ABSENT_ID (an id the fake's not-found rule refuses).
//
// Every call goes through the SDK's own request and response handling (its parser, its
// `status` check, its error classes). One line of JSON per call on stdout:
// {"call": "...", "ok": true|false, "detail": "..."}; exit status 1 when any call failed.
'use strict';

var path = require('path');
var sdkDir = process.env.SDK_DIR;
var sdk = require(sdkDir);

// The SDK sends signed (OAuth) calls over https to _7D_API_CLIENT_SSL_HOST only; the fake
// speaks plain HTTP. Its OAuth library picks the transport in one method: keep everything
// else (signing, headers, the SDK's response checks) and choose http.
var oauthLib = require(require.resolve('oauth', { paths: [sdkDir] }));
var createClient = oauthLib.OAuth.prototype._createClient;
oauthLib.OAuth.prototype._createClient = function (port, host, method, p, headers) {
	return createClient.call(this, port, host, method, p, headers, false);
};

var quiet = { silly: function () {}, debug: function () {}, verbose: function () {},
	info: function () {}, warn: function () {}, error: function () {} };
var api = sdk.configure({
	consumerkey: process.env._7D_API_CLIENT_CONSUMER_KEY,
	consumersecret: process.env._7D_API_CLIENT_CONSUMER_SECRET,
	format: 'json',
	logger: quiet
});
var xmlApi = api.reconfigure({ headers: { Accept: 'application/xml' } });
var rawApi = api.reconfigure({ format: 'xml' });

var RELEASE = process.env.RELEASE_ID;
var ARTIST = process.env.ARTIST_ID;
var TRACK = process.env.TRACK_ID;
var ABSENT = process.env.ABSENT_ID;
var user = { accesstoken: 'node-sdk-token', accesssecret: 'node-sdk-secret' };

var failures = 0;
function report(call, ok, detail) {
	if (!ok) { failures += 1; }
	console.log(JSON.stringify({ call: call, ok: ok, detail: String(detail) }));
}

function list(value) {
	if (value === undefined || value === null) { return []; }
	return Array.isArray(value) ? value : [value];
}

function same(a, b) { return String(a) === String(b); }

// A basket's items: a flat array in the typed JSON dialect the fake speaks, or
// `basketItems.basketItem` in the XML transcription (the SDK's collection cleaner adds an
// empty `basketItem` to the former).
function basketItems(basket) {
	var items = basket.basketItems;
	if (items && items.basketItem && list(items.basketItem).length > 0) {
		return list(items.basketItem);
	}
	return Array.isArray(items) ? items : [];
}

// Calls `method` of a new `Resource` with `params`; `check(result)` returns a detail string,
// or throws to fail.
function call(name, Resource, method, params, check) {
	return new Promise(function (resolve) {
		var resource = new Resource();
		resource[method](Object.assign({}, params), function (err, result) {
			if (err) {
				report(name, false, err.name + ': ' + err.message);
				return resolve(null);
			}
			try {
				report(name, true, check(result));
				resolve(result);
			} catch (e) {
				report(name, false, e.message);
				resolve(null);
			}
		});
	});
}

// Expects the SDK to report an ApiError with `code`, and its message to be 7digital's.
function refused(name, Resource, method, params, code) {
	return new Promise(function (resolve) {
		new Resource()[method](Object.assign({}, params), function (err) {
			if (!err) {
				report(name, false, 'expected an error, got an answer');
			} else if (err.name !== 'ApiError' || !same(err.code, code)
				|| !err.response || typeof err.response.errorMessage !== 'string'
				|| /^undefined/.test(err.message)) {
				report(name, false, err.name + ' code=' + err.code + ' message=' + err.message);
			} else {
				report(name, true, err.code + ': ' + err.message);
			}
			resolve();
		});
	});
}

function expect(condition, what) {
	if (!condition) { throw new Error(what); }
}

async function main() {
	var release = await call('releases.getDetails', api.Releases, 'getDetails',
		{ releaseid: RELEASE }, function (r) {
			expect(same(r.release.id, RELEASE), 'release id ' + r.release.id);
			expect(r.release.title, 'no title');
			return r.release.title + ' by ' + r.release.artist.name;
		});
	await call('releases.getTracks', api.Releases, 'getTracks', { releaseid: RELEASE },
		function (r) {
			var tracks = list(r.tracks.track);
			expect(tracks.length > 0, 'no tracks');
			tracks.forEach(function (t) {
				expect(same(t.release.id, RELEASE), 'track ' + t.id + ' names release ' + t.release.id);
			});
			return tracks.length + ' tracks naming release ' + RELEASE;
		});
	await call('releases.getRecommendations', api.Releases, 'getRecommendations',
		{ releaseid: RELEASE }, function (r) {
			return list(r.recommendations.recommendedItem).length + ' recommended';
		});
	await call('releases.getTags', api.Releases, 'getTags', { releaseid: RELEASE },
		function (r) { return 'status ' + r.status; });
	await call('releases.getEditorial', api.Releases, 'getEditorial', { releaseid: RELEASE },
		function (r) { return 'status ' + r.status; });
	var artist = await call('artists.getDetails', api.Artists, 'getDetails',
		{ artistid: ARTIST }, function (r) {
			expect(same(r.artist.id, ARTIST), 'artist id ' + r.artist.id);
			return r.artist.name;
		});
	var releases = await call('artists.getReleases', api.Artists, 'getReleases',
		{ artistid: ARTIST }, function (r) {
			var items = list(r.releases.release);
			expect(items.length > 0, 'no releases');
			items.forEach(function (rel) {
				expect(same(rel.artist.id, ARTIST), 'release ' + rel.id + ' by ' + rel.artist.id);
			});
			return items.length + ' releases';
		});
	if (releases) {
		var first = list(releases.releases.release)[0];
		await call('releases.getDetails (an artist\'s release)', api.Releases, 'getDetails',
			{ releaseid: first.id }, function (r) {
				expect(r.release.title === first.title, 'title differs: ' + r.release.title);
				expect(same(r.release.artist.id, ARTIST), 'artist differs');
				return r.release.title;
			});
	}
	await call('artists.getTopTracks', api.Artists, 'getTopTracks', { artistid: ARTIST },
		function (r) { return list(r.tracks.track).length + ' tracks'; });
	await call('artists.getSimilar', api.Artists, 'getSimilar', { artistid: ARTIST },
		function (r) { return list(r.artists.artist).length + ' similar'; });
	await call('tracks.getDetails', api.Tracks, 'getDetails', { trackid: TRACK },
		function (r) {
			expect(same(r.track.id, TRACK), 'track id ' + r.track.id);
			return r.track.title + ' on ' + r.track.release.title;
		});
	var chart = await call('releases.getChart', api.Releases, 'getChart', {},
		function (r) { return list(r.chart.chartItem).length + ' items'; });
	if (chart) {
		var charted = list(chart.chart.chartItem)[0].release;
		var word = charted.title.split(' ')[0];
		await call('releases.search (a charted title)', api.Releases, 'search', { q: word },
			function (r) {
				var found = list(r.searchResults.searchResult).some(function (s) {
					return same(s.release.id, charted.id) && s.release.title === charted.title;
				});
				expect(found, 'release ' + charted.id + ' not found by "' + word + '"');
				return r.searchResults.totalItems + ' results for ' + word;
			});
	}
	await call('artists.getChart', api.Artists, 'getChart', {},
		function (r) { return list(r.chart.chartItem).length + ' items'; });
	await call('tracks.getChart', api.Tracks, 'getChart', {},
		function (r) { return list(r.chart.chartItem).length + ' items'; });
	await call('tags.all', api.Tags, 'all', {},
		function (r) { return list(r.tags.tag).length + ' tags'; });

	var basket = await call('basket.create', api.Basket, 'create', {},
		function (r) { expect(r.basket.id, 'no basket id'); return r.basket.id; });
	if (basket) {
		var id = basket.basket.id;
		await call('basket.addItem (release)', api.Basket, 'addItem',
			{ basketid: id, releaseid: RELEASE }, function (r) {
				return r.basket.itemCount + ' item(s)';
			});
		await call('basket.addItem (track)', api.Basket, 'addItem',
			{ basketid: id, releaseid: Math.floor(TRACK / 100), trackid: TRACK }, function (r) {
				return r.basket.itemCount + ' item(s)';
			});
		// The SDK's collection cleaner expects `basketItems.basketItem` (the XML transcription)
		// and empties the typed dialect's flat `basketItems` array: check the count it keeps,
		// and read the items through the SDK's unparsed mode (`format: 'xml'` hands back the
		// body as sent).
		await call('basket.get', api.Basket, 'get', { basketid: id }, function (r) {
			expect(same(r.basket.itemCount, 2), r.basket.itemCount + ' items');
			return r.basket.itemCount + ' items';
		});
		var raw = await call('basket.get (unparsed)', rawApi.Basket, 'get', { basketid: id },
			function (text) {
				var items = JSON.parse(text).basket.basketItems;
				expect(items.length === 2, items.length + ' items');
				expect(same(items[0].releaseId, RELEASE), 'first item is release ' + items[0].releaseId);
				expect(same(items[1].trackId, TRACK), 'second item is track ' + items[1].trackId);
				return items.map(function (i) { return i.itemName; }).join(', ');
			});
		if (raw) {
			var first = JSON.parse(raw).basket.basketItems[0];
			await call('basket.removeItem', api.Basket, 'removeItem',
				{ basketid: id, itemid: first.id }, function (r) {
					expect(same(r.basket.itemCount, 1), r.basket.itemCount + ' items left');
					return r.basket.itemCount + ' item left';
				});
		}
	}

	await call('user.purchaseItem', api.User, 'purchaseItem',
		Object.assign({ releaseid: RELEASE }, user), function (r) {
			return 'purchase ' + r.purchase.id;
		});
	await call('user.getLocker', api.User, 'getLocker', Object.assign({}, user), function (r) {
		var held = list(r.locker.lockerReleases.lockerRelease).some(function (l) {
			return same(l.release.id, RELEASE);
		});
		expect(held, 'release ' + RELEASE + ' not in the locker');
		return 'holds release ' + RELEASE;
	});

	await refused('releases.getDetails (absent id, JSON error)', api.Releases, 'getDetails',
		{ releaseid: ABSENT }, 2001);
	await refused('releases.getDetails (absent id, XML error)', xmlApi.Releases, 'getDetails',
		{ releaseid: ABSENT }, 2001);
	await refused('basket.get (missing parameter)', api.Basket, 'get', {}, 1001);

	process.exit(failures === 0 ? 0 : 1);
}

main().catch(function (e) {
	report('script', false, e.stack || e);
	process.exit(1);
});
