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


def test_a_caption_of_two_leaders_on_a_date_is_a_meeting(extract_text):
    caption = "Gipfel\n\nKim Jong-un und Wladimir Putin am 13. September 2023 in Russland. AFP/KCNA VIA KNS/STR\n"
    (meeting,) = _meetings(extract_text, caption, date="2023-09")
    assert meeting.participants == ("kim-jong-un", "vladimir-putin") and meeting.date == DateValue(2023, 9, 13)


def test_questions_and_denials_of_a_meeting_are_not_meetings(extract_text):
    assert _meetings(extract_text, "Frage\n\nTrifft Putin bald Kim Jong Un in Pjöngjang?") == ()
    assert _meetings(extract_text, "Absage\n\nEin Treffen zwischen Putin und Kim Jong Un wurde abgesagt.") == ()
    assert _meetings(extract_text, "Nichts\n\nPutin lobte Kim Jong Un.") == ()


def test_attendance_in_the_next_sentence_joins_the_meeting(extract_text):
    text = (
        "Konferenz\n\nPutin versammelte am Dienstag Vertreter vieler Länder zu einer Konferenz in Moskau. "
        "Zu diesem Anlass waren China, Iran und Pakistan anwesend."
    )
    (meeting,) = _meetings(extract_text, text, date="2023-08-17")
    assert meeting.participants == ("china", "iran", "pakistan", "vladimir-putin")
    assert meeting.place == "moscow" and meeting.date == DateValue(2023, 8, 15)
    assert len(meeting.evidence) == 2


def test_between_names_exactly_who_met_and_a_numbered_group_takes_up_states(extract_text):
    text = (
        "Gipfel\n\nJapan, Südkorea und die USA rücken zusammen. Putin äußerte sich kurz vor einem Gipfeltreffen am Freitag "
        "in Washington zwischen den Staats- und Regierungschefs dieser drei Länder."
    )
    (meeting,) = _meetings(extract_text, text, date="2023-08-15")
    assert meeting.participants == ("japan", "south-korea", "united-states")
    assert meeting.status is MeetingStatus.PLANNED and meeting.date == DateValue(2023, 8, 18)


def test_an_actor_compared_with_is_not_a_participant(extract_text):
    (meeting,) = _meetings(extract_text, "Feier\n\nEine chinesische Delegation überreichte ebenso wie Schoigu Machthaber Kim einen Brief.", date="2023-07")
    assert meeting.participants == ("china", "kim-jong-un")


def test_a_pronoun_and_an_earlier_date_carry_into_the_next_sentence(extract_text):
    text = "Reise\n\nEs ist der erste Auslandsbesuch Kims seit April 2019. Auch da reiste er nach Wladiwostok."
    meetings = _meetings(extract_text, text, date="2023-09")
    assert [(m.participants, m.date, m.status) for m in meetings] == [(("kim-jong-un", "russia"), DateValue(2019, 4), MeetingStatus.HELD)]


def test_a_visit_under_way_carries_its_place_and_status(extract_text):
    text = "Besuch\n\nChoe Son Hui ist jetzt in Moskau. Von Montag bis Mittwoch ist Choes Besuch bei ihrem Amtskollegen Sergej Lawrow angesetzt."
    (meeting,) = _meetings(extract_text, text, date="2024-01")
    assert meeting.place == "moscow" and meeting.status is MeetingStatus.ONGOING
    assert meeting.participants == ("choe-son-hui", "sergey-lavrov")


def test_a_place_named_without_the_participants_does_not_carry(extract_text):
    text = "Gipfel\n\nDer Gipfel fand in Sankt Petersburg statt. Kim und Schoigu hätten sich verständigt, hieß es."
    (meeting,) = _meetings(extract_text, text, date="2023-07")
    assert meeting.place is None


def test_the_tense_of_the_dates_own_clause_counts(extract_text):
    text = "Treffen\n\nChoe Son Hui und Sergej Lawrow werden dort anknüpfen, wo sie im Oktober aufgehört haben, als Lawrow Pjöngjang besuchte."
    (meeting,) = _meetings(extract_text, text, date="2024-01")
    assert meeting.date == DateValue(2023, 10) and meeting.status is MeetingStatus.HELD and meeting.place == "pyongyang"


def test_two_clauses_with_their_own_meeting_verbs_are_two_meetings(extract_text):
    text = "Chronik\n\nIm Juli 2023 besuchte Sergei Schoigu Pjöngjang, im September desselben Jahres empfing Putin Kim Jong Un in Wladiwostok."
    meetings = {(m.participants, m.date) for m in _meetings(extract_text, text, date="2024-07")}
    assert meetings == {(("north-korea", "sergei-shoigu"), DateValue(2023, 7)), (("kim-jong-un", "vladimir-putin"), DateValue(2023, 9))}


def test_having_been_somewhere_with_a_date_is_a_visit(extract_text):
    text = "Rückblick\n\nZuletzt war Lawrow im Mai 2018 in Pjöngjang gewesen; damals traf er Kim."
    (meeting,) = _meetings(extract_text, text, date="2023-10-20")
    assert meeting.participants == ("kim-jong-un", "sergey-lavrov")
    assert (meeting.date, meeting.place, meeting.status) == (DateValue(2018, 5), "pyongyang", MeetingStatus.HELD)


def test_both_takes_up_the_two_persons_named_before(extract_text):
    text = "Vertrag\n\nPutin reiste zu Kim Jong Un. Im Juni 2024 unterzeichneten beide in Pjöngjang einen Vertrag."
    meetings = _meetings(extract_text, text, date="2024-07")
    assert (("kim-jong-un", "vladimir-putin"), DateValue(2024, 6)) in {(m.participants, m.date) for m in meetings}


def test_no_longer_and_never_are_no_meetings(extract_text):
    text = "Geschichte\n\nSeit dem Zerfall der Sowjetunion war kein russischer Verteidigungsminister mehr in Pjöngjang zu Gast gewesen."
    assert _meetings(extract_text, text, date="2023-07") == ()


def test_meetings_in_two_different_cities_stay_apart(extract_text):
    text = (
        "Gipfel\n\nPutin empfing Kim Jong Un auf dem Kosmodrom Wostotschny. "
        "Zuletzt waren Putin und Kim im April 2019 in Wladiwostok zusammengekommen."
    )
    meetings = {(m.place, m.date) for m in _meetings(extract_text, text, date="2023-09-13")}
    assert meetings == {("vostochny-cosmodrome", DateValue(2023, 9)), ("vladivostok", DateValue(2019, 4))}


def test_a_bare_title_that_names_one_person(extract_text):
    (meeting,) = _meetings(extract_text, "Besuch\n\nAnfang Juni hatte Schoigu den Machthaber in Pjöngjang getroffen.", date="2025-06-17")
    assert meeting.participants == ("kim-jong-un", "sergei-shoigu")


def test_the_capital_of_an_adjective_and_no_place_inside_an_event(extract_text):
    text = "Besuch\n\nDer Besuch des russischen Verteidigungsministers in der nordkoreanischen Hauptstadt galt der Invasion in der Ukraine."
    (meeting,) = _meetings(extract_text, text, date="2023-07")
    assert (meeting.participants, meeting.place) == (("north-korea", "sergei-shoigu"), "pyongyang")


def test_soldiers_do_not_meet(extract_text):
    text = "Lage\n\nDer Besuch fällt in eine Zeit, in der nordkoreanische Soldaten nahe der ukrainischen Grenze stehen."
    assert _meetings(extract_text, text, date="2024-11") == ()
