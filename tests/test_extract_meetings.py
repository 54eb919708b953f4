"""Meetings read from short German texts written for these tests."""

from etl.model import DateValue, MeetingStatus


def _meetings(extract_text, text, date="2023-09-14"):
    return extract_text(text, date=date).meetings


def test_a_visit_to_a_capital_adds_the_host_state(extract_text):
    (meeting,) = _meetings(extract_text, "Besuch in Nordkorea\n\nSchoigu besuchte am Mittwoch Pjöngjang.", date="2023-07-28")
    assert meeting.participants == ("north-korea", "sergei-shoigu")
    assert meeting.place == "pyongyang"
    assert meeting.date == DateValue(2023, 7, 26)
    assert meeting.status is MeetingStatus.HELD


def test_two_leaders_meeting_in_a_city(extract_text):
    (meeting,) = _meetings(extract_text, "Gipfel\n\nKim Jong Un und Wladimir Putin trafen sich am 13. September 2023 in Wladiwostok.")
    assert meeting.participants == ("kim-jong-un", "vladimir-putin")
    assert meeting.place == "vladivostok" and meeting.date == DateValue(2023, 9, 13)
    assert meeting.evidence[0].quote.startswith("Kim Jong Un und Wladimir Putin trafen")


def test_a_counterpart_named_by_adjective(extract_text):
    (meeting,) = _meetings(extract_text, "Treffen\n\nEnde Juli traf Schoigu in Pjöngjang seinen nordkoreanischen Amtskollegen.", date="2023-08-15")
    assert meeting.participants == ("north-korea", "sergei-shoigu")
    assert meeting.date == DateValue(2023, 7)


def test_a_planned_meeting(extract_text):
    (meeting,) = _meetings(extract_text, "Reise\n\nKim Jong Un wird Wladimir Putin in Wladiwostok treffen.", date="2023-09")
    assert meeting.status is MeetingStatus.PLANNED
    assert meeting.date == DateValue(2023, 9)


def test_an_ongoing_visit(extract_text):
    (meeting,) = _meetings(extract_text, "Besuch\n\nChoe Son Hui ist derzeit zu Besuch bei Sergej Lawrow in Moskau.", date="2024-01")
    assert meeting.status is MeetingStatus.ONGOING
    assert meeting.participants == ("choe-son-hui", "sergey-lavrov") and meeting.place == "moscow"


def test_a_trip_compound_names_the_host(extract_text):
    (meeting,) = _meetings(extract_text, "Rückblick\n\nKim Jong-uns Russlandreise im September war ein Erfolg.", date="2024-01")
    assert meeting.participants == ("kim-jong-un", "russia")
    assert meeting.place == "russia" and meeting.date == DateValue(2023, 9)


def test_one_meeting_reported_in_several_sentences_is_one_meeting(extract_text):
    text = (
        "Gipfel\n\nWladimir Putin empfing Kim Jong Un am Mittwoch in Wladiwostok. "
        "Das Treffen zwischen Putin und Kim dauerte vier Stunden."
    )
    (meeting,) = _meetings(extract_text, text)
    assert meeting.participants == ("kim-jong-un", "vladimir-putin")
    assert meeting.date == DateValue(2023, 9, 13) and meeting.place == "vladivostok"
    assert len(meeting.evidence) == 2


def test_a_past_meeting_has_its_own_date(extract_text):
    meetings = _meetings(extract_text, "Geschichte\n\nIm Jahr 2000 traf Putin in Pjöngjang Kim Jong Il.", date="2023-09")
    assert [(m.participants, m.date, m.status) for m in meetings] == [(("kim-jong-il", "vladimir-putin"), DateValue(2000), MeetingStatus.HELD)]


def test_a_caption_of_two_leaders_on_a_date_is_a_meeting(tmp_path, pack):
    from etl.extract import extract
    from etl.sources import read_sources

    path = tmp_path / "caption.txt"
    path.write_text(" date 2023-09 Gipfel\n\nKim Jong-un und Wladimir Putin am 13. September 2023 in Russland. AFP/KCNA VIA KNS/STR\n", encoding="utf-8")
    (article,) = list(read_sources([str(path)], pack))
    (meeting,) = extract(article, pack).meetings
    assert meeting.participants == ("kim-jong-un", "vladimir-putin") and meeting.date == DateValue(2023, 9, 13)


def test_questions_and_denials_of_a_meeting_are_not_meetings(extract_text):
    assert _meetings(extract_text, "Frage\n\nTrifft Putin bald Kim Jong Un in Pjöngjang?") == ()
    assert _meetings(extract_text, "Absage\n\nEin Treffen zwischen Putin und Kim Jong Un wurde abgesagt.") == ()
    assert _meetings(extract_text, "Nichts\n\nPutin lobte Kim Jong Un.") == ()
