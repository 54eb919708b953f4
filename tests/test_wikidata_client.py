"""The Wikidata client against a local server that answers in the API's real format."""

import socket

import pytest
from wikidata_fake import Fault, maxlag, too_many_requests

from etl.wikidata import AnswerCache, WikidataClient, WikidataError, request_key


@pytest.fixture
def cache(tmp_path):
    store = AnswerCache(tmp_path / "cache")
    yield store
    store.close()


def client_for(url, cache, *, online=True, waits=None, **options):
    sleep = waits.append if waits is not None else (lambda seconds: None)
    return WikidataClient(cache, online=online, api=url, contact="analyst@example.org", sleep=sleep, today=lambda: "2026-11-21", **options)


def test_search_sends_a_descriptive_user_agent_maxlag_and_json(fake, cache):
    client = client_for(fake.url, cache)
    hits, fetched = client.search("Sergei Schoigu", "de", 7)
    assert [h.qid for h in hits] == ["Q32024"]
    assert hits[0].label == "Sergei Schoigu" and hits[0].match_type == "label"
    assert fetched == "2026-11-21"
    params = fake.requests[0]
    assert params["action"] == "wbsearchentities" and params["language"] == "de" and params["type"] == "item"
    assert params["format"] == "json" and params["maxlag"] == "5"
    agent = fake.user_agents[0]
    assert agent.startswith("newskg/") and "(https://w3id.org/newskg; analyst@example.org)" in agent and "python-requests/" in agent


def test_an_alias_match_reports_the_alias(fake, cache):
    hits, _ = client_for(fake.url, cache).search("Krim", "de", 7)
    by_id = {h.qid: h for h in hits}
    assert set(by_id) == {"Q7835", "Q756294", "Q15966495"}
    assert by_id["Q7835"].match_type == "label"
    assert by_id["Q756294"].match_type == "alias" and by_id["Q756294"].matched == "Krim"


def test_items_read_labels_aliases_and_claims_and_skip_missing_ones(fake, cache):
    items, _ = client_for(fake.url, cache).items(["Q32024", "Q423"], ("de", "en"))  # the stand-in has no Q423
    assert set(items) == {"Q32024"}  # an item it lacks answers {"id": …, "missing": ""}
    shoigu = items["Q32024"]
    assert shoigu.labels == {"de": "Sergei Schoigu", "en": "Sergei Shoigu"}
    assert "Sergej Schoigu" in shoigu.aliases["de"]
    assert shoigu.values("P31") == ("Q5",)
    assert shoigu.values("P27") == ("Q159",)  # the deprecated Soviet citizenship is left out
    assert fake.requests[0]["props"] == "labels|descriptions|aliases|claims" and fake.requests[0]["languages"] == "de|en"


def test_items_are_asked_fifty_at_a_time(fake, cache):
    ids = [f"Q{n}" for n in range(1, 121)]
    client_for(fake.url, cache).items(ids)
    assert [len(r["ids"].split("|")) for r in fake.requests] == [50, 50, 20]


def test_429_waits_as_long_as_retry_after_says_then_retries(fake, cache):
    fake.faults = [too_many_requests("3")]
    waits = []
    hits, _ = client_for(fake.url, cache, waits=waits).search("Sergei Schoigu", "de", 7)
    assert [h.qid for h in hits] == ["Q32024"]
    assert waits == [3.0]
    assert len(fake.requests) == 2


def test_a_retry_after_date_is_read_as_a_delay(fake, cache):
    fake.faults = [too_many_requests("Wed, 21 Oct 2015 07:28:00 GMT")]  # in the past: retry at once
    waits = []
    client_for(fake.url, cache, waits=waits).search("Krim", "de", 7)
    assert waits == [0.0]


def test_maxlag_errors_come_with_http_200_and_are_retried(fake, cache):
    fake.faults = [maxlag("5"), maxlag("5")]
    waits = []
    hits, _ = client_for(fake.url, cache, waits=waits).search("Krim", "de", 7)
    assert len(hits) == 3
    assert waits == [5.0, 5.0]
    assert len(fake.requests) == 3


def test_server_errors_back_off_exponentially_then_give_up_naming_the_api(fake, cache):
    fake.faults = [Fault(503, body="upstream connect error", content_type="text/plain")] * 4
    waits = []
    client = client_for(fake.url, cache, waits=waits, attempts=4, backoff=0.5)
    with pytest.raises(WikidataError) as caught:
        client.search("Krim", "de", 7)
    assert waits == [0.5, 1.0, 2.0]
    message = str(caught.value)
    assert fake.url in message and "gave up after 4 attempts" in message and "HTTP 503" in message
    assert len(cache) == 0


def test_a_client_error_is_not_retried_and_shows_the_body(fake, cache):
    fake.faults = [Fault(403, body="Please set a user-agent and respect our robot policy", content_type="text/plain")]
    waits = []
    with pytest.raises(WikidataError, match="HTTP 403: Please set a user-agent"):
        client_for(fake.url, cache, waits=waits).search("Krim", "de", 7)
    assert waits == [] and len(fake.requests) == 1


def test_an_api_error_is_reported_with_its_code(fake, cache):
    fake.faults = [Fault(200, body='{"error": {"code": "no-such-entity", "info": "Could not find an entity with the ID \\"Qx\\"."}, "servedby": "x"}')]
    with pytest.raises(WikidataError, match="API error no-such-entity: Could not find"):
        client_for(fake.url, cache).items(["Q5"])


def test_a_refused_connection_is_retried_then_named(cache):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed when the block ends: nothing listens there
    waits = []
    url = f"http://127.0.0.1:{port}/w/api.php"
    with pytest.raises(WikidataError) as caught:
        client_for(url, cache, waits=waits, attempts=3, backoff=0.25).search("Krim", "de", 7)
    assert waits == [0.25, 0.5]
    assert url in str(caught.value) and "ConnectionError" in str(caught.value)


def test_every_answer_is_cached_so_a_second_client_asks_nothing(fake, cache):
    first = client_for(fake.url, cache)
    first.search("Krim", "de", 7)
    first.items(["Q7835"], ("de", "en"))
    assert first.log.sent == 2 and len(cache) == 2
    again = client_for(fake.url, cache, online=True)
    assert [h.qid for h in again.search("Krim", "de", 7)[0]] == ["Q7835", "Q756294", "Q15966495"]
    assert again.items(["Q7835"], ("de", "en"))[0]["Q7835"].labels["de"] == "Krim"
    assert again.log.sent == 0 and again.log.from_cache == 2
    assert len(fake.requests) == 2


def test_offline_answers_only_from_the_cache(fake, cache):
    client_for(fake.url, cache).search("Krim", "de", 7)
    offline = client_for(fake.url, cache, online=False)
    assert offline.search("Krim", "de", 7) is not None
    assert offline.search("Sergei Schoigu", "de", 7) is None
    assert offline.log.missing == 1 and len(fake.requests) == 1


def test_the_cache_key_is_the_api_and_what_changes_the_answer():
    api = "https://www.wikidata.org/w/api.php"
    asked = {"action": "wbsearchentities", "search": "Krim", "maxlag": "5", "format": "json"}
    assert request_key(api, asked) == request_key(api, {"search": "Krim", "action": "wbsearchentities"})
    assert request_key(api, asked) != request_key("http://127.0.0.1:8080/w/api.php", asked)
    assert request_key(api, {"search": "a&b=c"}) != request_key(api, {"search": "a", "b": "c"})


def test_a_retry_after_beyond_the_cap_is_refused_not_cut_short(fake, cache):
    fake.faults = [too_many_requests("3600")]
    waits = []
    with pytest.raises(WikidataError, match="asked to wait 3600 s"):
        client_for(fake.url, cache, waits=waits).search("Krim", "de", 7)
    assert waits == []


def test_messages_never_show_credentials_in_the_api_url(cache):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://reader:s3cret-pass@127.0.0.1:{port}/w/api.php"
    with pytest.raises(WikidataError) as caught:
        client_for(url, cache, attempts=1).search("Krim", "de", 7)
    assert "s3cret-pass" not in str(caught.value) and f"127.0.0.1:{port}/w/api.php" in str(caught.value)


def test_a_broken_cache_file_is_a_clear_error(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "wikidata.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(WikidataError, match="not a usable answer cache"):
        AnswerCache(folder)
