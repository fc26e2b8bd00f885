"""What people do to profiles: give +K, hide or report a topic, opt out entirely."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from marketplace.errors import ApplicationError
from marketplace.models import User
from scoring.lock_objects import (
    owned_person_and_handles_lock,
    owned_person_lock,
    user_lock,
)
from scoring.models import (
    DoNotTrack,
    Endorsement,
    HiddenTopic,
    Person,
    PersonTopic,
    Post,
    ScoreDetails,
    ScoreSnapshot,
    Topic,
    TopicReport,
    Verification,
)
from scoring.plus_k import ENDORSEMENTS_A_DAY, plus_k_between
from scoring.selectors.people import people_with_topics

REPORT_REASON_LENGTH = TopicReport._meta.get_field("reason").max_length or 0
NO_PROFILE = "Verify one of your handles first: that makes a profile yours."


def _own_person(user: User) -> Person:
    person = owned_person_lock(user).filter(opted_out=False).first()
    if person is None:
        raise ApplicationError(NO_PROFILE)
    return person


@dataclass(frozen=True)
class Given:
    endorsement: Endorsement
    left_today: int  # the +K the giver may still give today


@transaction.atomic
def endorsement_give(*, user: User, receiver: Person, topic: Topic) -> Given:
    """+K from the user's person to another on one of their topics, within +K's limits
    (scoring.plus_k), never to oneself. The giver's row is locked, so two requests at once
    cannot both take the fifth."""
    giver = _own_person(user)
    if giver.pk == receiver.pk:
        raise ApplicationError("+K is for other people: you cannot give it to yourself.")
    if topic not in (shown for shown, _ in people_with_topics([receiver])[0][1]):
        raise ApplicationError(f"{topic.name} is not one of {receiver}'s topics.")
    allowed = plus_k_between(giver=giver, receiver=receiver)
    if not allowed.left_today:
        raise ApplicationError(
            f"You have given your {ENDORSEMENTS_A_DAY} +K for today. You can give more tomorrow."
        )
    again = allowed.again_from.get(topic.pk)
    if again is not None:
        raise ApplicationError(
            f"You gave {receiver} +K on {topic.name} recently: "
            f"you can again from {again.date():%-d %B}."
        )
    endorsement = Endorsement.objects.create(giver=giver, receiver=receiver, topic=topic)
    return Given(endorsement, allowed.left_today - 1)


@transaction.atomic
def topic_hide(*, user: User, topic: Topic) -> None:
    HiddenTopic.objects.get_or_create(person=_own_person(user), topic=topic)


@transaction.atomic
def topic_show(*, user: User, topic: Topic) -> None:
    HiddenTopic.objects.filter(person=_own_person(user), topic=topic).delete()


@transaction.atomic
def topic_report(*, user: User, person: Person, topic: Topic, reason: str) -> TopicReport:
    """A report for moderators about a topic the person's profile shows; refused while the
    reporter's earlier report of it there waits for them. The reason may be left empty."""
    reason = reason.strip()
    if len(reason) > REPORT_REASON_LENGTH:
        raise ApplicationError(
            f"Please say what is wrong in at most {REPORT_REASON_LENGTH} characters."
        )
    if topic not in (shown for shown, _ in people_with_topics([person])[0][1]):
        raise ApplicationError(f"{topic.name} is not one of {person}'s topics.")
    # A reporter's reports are made one at a time, so that two at once (a double click) are one.
    user_lock(user)
    waiting = TopicReport.objects.filter(
        reporter=user, person=person, topic=topic, resolved_at__isnull=True
    )
    if waiting.exists():
        raise ApplicationError("You reported this already: moderators will look at it.")
    return TopicReport.objects.create(reporter=user, person=person, topic=topic, reason=reason)


@transaction.atomic
def person_opt_out(*, user: User) -> None:
    """Opt out the user's own person (person_forget)."""
    person = owned_person_and_handles_lock(user)
    if person is None:
        raise ApplicationError(NO_PROFILE)
    person_forget(person=person)


@transaction.atomic
def person_forget(*, person: Person) -> None:
    """Delete the person's profile, scores, topics and history, and put their handles on the
    do-not-track list: importers skip them and the pipeline scores nobody by them. The
    person row stays, emptied and marked, so that its handles stay theirs. The caller has
    locked the person with its handles (scoring.lock_objects.person_and_handles_lock)."""
    for hook in settings.PERSON_OPT_OUT_HOOKS:  # other apps' part, e.g. open perk claims
        import_string(hook)(person_id=person.pk)
    handles = list(person.handles.all())
    DoNotTrack.objects.bulk_create(
        [
            DoNotTrack(network=h.network, external_id=h.external_id, username_key=h.username_key)
            for h in handles
        ],
        ignore_conflicts=True,
    )
    Post.objects.filter(handle__in=handles).delete()
    ScoreSnapshot.objects.filter(person=person).delete()
    PersonTopic.objects.filter(person=person).delete()
    Endorsement.objects.filter(receiver=person).delete()
    Endorsement.objects.filter(giver=person).delete()
    HiddenTopic.objects.filter(person=person).delete()
    person.handles.update(
        display_name="",
        avatar_url="",
        profile_url="",
        followers_count=0,
        verification=Verification.UNVERIFIED,
        verified_at=None,
        access_granted=False,
    )
    person.owner = None
    person.opted_out = True
    person.display_name = person.place = person.country = ""
    person.score = person.score_day = person.percentile = None
    person.score_model = ""
    person.save()
    ScoreDetails.objects.filter(person=person).delete()


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account, after opting its person out if it has one."""
    if Person.objects.filter(owner=user, opted_out=False).exists():
        person_opt_out(user=user)
    user.delete()
