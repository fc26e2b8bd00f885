"""The score: reach, amplification, network and persistence per handle, summed per person,
calibrated.

Every step is a sum of non-negative terms over engagement, so more engagement, engagement
from more influential people, and another handle joined to a person can only raise a score.
docs/SCORING.md explains it in words.
"""

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from scoring.engine.curves import calibrate, saturate
from scoring.engine.grouping import unique_inverse
from scoring.engine.model import Params, Scores, Signals, Standing
from scoring.engine.persistence import persistence
from scoring.engine.ranking import percentiles, top_per_row
from scoring.engine.topics import topic_scores

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


def signal_weights(signals: Signals, params: Params) -> Floats:
    """Each interaction's weight: its kind's, falling with age (`Params.decay`), and fading to
    nothing over the window's last `fade_days` so that nothing drops out from one day to the
    next."""
    age = signals.age_days
    kinds = np.zeros(max(params.kind_weights) + 1)
    for kind, weight in params.kind_weights.items():
        kinds[kind] = weight
    if params.decay == "hyperbolic":
        decay = 1.0 / (1.0 + age / params.half_life_days)
    else:
        decay = 0.5 ** (age / params.half_life_days)
    inside = (age >= 0) & (age < params.window_days)
    return np.where(inside, kinds[signals.kind] * decay * _fade(age, params.fade_days, params), 0.0)


def _fade(age: Floats, days: float, params: Params) -> Floats:
    """1 until the window's last `days`, then falling to 0 at its end."""
    return np.clip((params.window_days - age) / days, 0.0, 1.0)


def compute(signals: Signals, params: Params, standing: Standing | None = None) -> Scores:
    """Score everyone in `signals`. Given a `standing`, people's influence and automation are
    taken from it instead of found from `signals`, which may then be a part of the world."""
    handles = len(signals.handle_person)
    people = signals.people
    weight = signal_weights(signals, params)
    actor_person = signals.handle_person[signals.actor]
    weight[actor_person == signals.handle_person[signals.target]] = 0.0  # one's own accounts

    if standing is None:
        automation = _automation_discount(signals, weight, params)  # per handle
    else:
        automation = standing.automation
    weight = weight * automation[signals.actor]
    # What each interaction counts for in persistence: its fade and automation discount alone.
    persisting = (
        np.where(weight > 0, _fade(signals.age_days, params.persistence_fade_days, params), 0.0)
        * automation[signals.actor]
    )
    pairs = saturated_pairs(signals, weight, params).tocsc()  # handle × handle
    to_person = sparse.csr_matrix(
        (np.ones(handles), (np.arange(handles), signals.handle_person)), shape=(handles, people)
    )
    person_pairs = (to_person.T @ pairs @ to_person).tocsr()  # actor person × target person
    influence = standing.influence if standing else _influence(person_pairs, params)
    worth = 1.0 + params.influence_damping * influence
    # Selectivity weighs what reaches people, never what makes an engager influential: so
    # acting on more content lowers what one's own reactions are worth to others, and nothing
    # of one's own score.
    selectivity = standing.selectivity if standing else _selectivity(pairs, params)
    valued = pairs.copy()
    valued.data *= selectivity[pairs.indices]  # CSC: the indices are the actors

    visible = ~signals.handle_hidden
    reach = np.asarray(valued.sum(axis=0)).ravel() * visible
    network = (valued.T @ influence[signals.handle_person]) * visible
    amplification, posts, post_engagement = _amplification(signals, weight, selectivity, params)
    amplification = amplification * visible
    held = (
        persistence(signals.target, signals.actor, signals.age_days, persisting, handles) * visible
        if params.persistence_weight
        else np.zeros(handles)
    )
    handle_raw = (
        params.reach_weight * np.log1p(reach)
        + params.amplification_weight * np.log1p(amplification)
        + params.network_weight * np.log1p(10 * network)
        + params.persistence_weight * np.log1p(held)
    )
    raw = np.bincount(signals.handle_person, weights=handle_raw, minlength=people)
    network_raw = np.zeros((people, signals.networks))
    np.add.at(network_raw, (signals.handle_person, signals.handle_network), handle_raw)

    score = calibrate(raw, params)
    score[_all_hidden(signals)] = params.private_score

    # Who acts most on this person's content, each weighted by what their engagement is
    # worth: the top contributors, who are also the person's influencees.
    inbound = person_pairs.T.tocsr()
    contributors, contributions = top_per_row(inbound.multiply(worth[np.newaxis, :]), params.top)
    influencers, influencer_weights = top_per_row(
        person_pairs.multiply(influence[np.newaxis, :]).tocsr(), params.top
    )
    by_post = _engagement_by_post(signals, posts, post_engagement)
    top_posts, top_post_engagement = top_per_row(by_post, params.top)
    engagement_of_post = np.zeros(int(signals.post.max(initial=-1)) + 1)
    engagement_of_post[posts] = post_engagement
    top_topics, top_topic_scores = topic_scores(
        signals, params, weight, persisting, influence, selectivity, engagement_of_post
    )
    person_reach = np.bincount(signals.handle_person, weights=reach, minlength=people)
    person_automation = np.ones(people)
    np.minimum.at(person_automation, signals.handle_person, automation)
    return Scores(
        version=params.version,
        score=score,
        raw=raw,
        reach=person_reach,
        amplification=_person_amplification(signals, amplification, reach, people),
        network=np.bincount(signals.handle_person, weights=network, minlength=people),
        persistence=np.bincount(signals.handle_person, weights=held, minlength=people),
        influence=influence,
        automation=person_automation,
        handle_automation=automation,
        handle_selectivity=selectivity,
        network_raw=network_raw,
        percentile=percentiles(score),
        top_contributors=contributors,
        top_contributions=contributions,
        top_posts=top_posts,
        top_post_engagement=top_post_engagement,
        influencers=influencers,
        influencer_weights=influencer_weights,
        influencees=contributors,
        influencee_weights=contributions,
        top_topics=top_topics,
        topic_scores=top_topic_scores,
    )


def saturated_pairs(signals: Signals, weight: Floats, params: Params) -> sparse.csr_matrix:
    """How much each handle engaged with each other handle, saturated: at most 1 a pair.
    Pairs are of handles, not people, so that joining handles into one person never
    changes what anyone else received. (Building the matrix sums each pair's weights.)"""
    handles = len(signals.handle_person)
    matrix = sparse.csr_matrix((weight, (signals.actor, signals.target)), shape=(handles, handles))
    matrix.data = saturate(matrix.data, params)
    matrix.eliminate_zeros()
    return matrix


def _automation_discount(signals: Signals, weight: Floats, params: Params) -> Floats:
    """What a handle's engagement is worth, 0–1: exactly 1 up to a machine's volume of output
    (`automation_volume` a day); beyond it, less and less unless people outside those it acts
    on engage with it."""
    handles = len(signals.handle_person)
    active = weight > 0
    per_day = np.bincount(signals.actor[active], minlength=handles) / params.window_days
    pairs = saturated_pairs(signals, weight, params)
    mutual = pairs.multiply(pairs.T.astype(bool))  # b → a where a → b as well
    inbound = np.asarray(pairs.sum(axis=0)).ravel()
    outside = inbound - np.asarray(mutual.sum(axis=0)).ravel()
    excess = np.maximum(per_day / params.automation_volume - 1.0, 0.0)
    return 1.0 / (1.0 + 16.0 * excess**2 / (1.0 + outside / params.automation_inbound))


def _selectivity(pairs: sparse.csc_matrix, params: Params) -> Floats:
    """What each handle's engagement is worth, 0–1: exactly 1 up to `selective_targets`
    distinct handles engaged with in the window, then (selective_targets / targets) **
    selectivity."""
    targets = np.bincount(pairs.indices, minlength=pairs.shape[0])
    return np.minimum(1.0, params.selective_targets / np.maximum(targets, 1)) ** params.selectivity


def _influence(person_pairs: sparse.csr_matrix, params: Params) -> Floats:
    """u = x / (x + half), x = log(1 + Σ engagement · (1 + damping · u of the engager)).

    Starting from u = 0 every step can only raise u, and u stays below 1, so the iteration
    converges; acting on anyone's content can only raise everyone's u, one's own included."""
    inbound = person_pairs.T.tocsr()
    u = np.zeros(person_pairs.shape[0])
    for _ in range(params.influence_iterations):
        x = np.log1p(inbound @ (1.0 + params.influence_damping * u))
        updated = x / (x + params.influence_half)
        done = np.max(np.abs(updated - u), initial=0.0) < params.influence_tolerance
        u = updated
        if done:
            break
    return u


def _content_units(signals: Signals, params: Params) -> Ints:
    """The piece of content each interaction is about: its post, or for engagement whose
    post is not known, the target handle's day (numbered after the posts)."""
    posts = int(signals.post.max(initial=-1)) + 1
    day = np.floor(signals.age_days / params.day_bucket).astype(np.int64)
    days = int(day.max(initial=0)) + 1
    unknown = posts + signals.target * days + day
    return np.where(signals.post >= 0, signals.post, unknown)


def _amplification(
    signals: Signals, weight: Floats, selectivity: Floats, params: Params
) -> tuple[Floats, Ints, Floats]:
    """Per handle: Σ E² / Σ E over its pieces of content, E being the number of distinct
    handles a piece moved (saturated per handle, each worth its selectivity). Splitting the
    same engagement over more posts lowers it; one post that moves a thousand people raises
    it a lot. Also returns each known post's E, for the explanation."""
    units = _content_units(signals, params)
    used = weight > 0
    if not params.amplify_unknown_posts:
        used &= signals.post >= 0
    key_unit, inverse = unique_inverse(units[used])
    per_actor = sparse.coo_matrix(
        (weight[used], (inverse, signals.actor[used])),
        shape=(len(key_unit), len(signals.handle_person)),
    ).tocsr()
    per_actor.sum_duplicates()
    per_actor.data[:] = saturate(per_actor.data, params) * selectivity[per_actor.indices]
    engagement = np.asarray(per_actor.sum(axis=1)).ravel()
    unit_target = np.zeros(len(key_unit), dtype=np.int64)
    unit_target[inverse] = signals.target[used]
    handles = len(signals.handle_person)
    square = np.bincount(unit_target, weights=engagement**2, minlength=handles)
    total = np.bincount(unit_target, weights=engagement, minlength=handles)
    amplification = np.divide(square, total, out=np.zeros(handles), where=total > 0)
    is_post = key_unit < int(signals.post.max(initial=-1)) + 1
    return amplification, key_unit[is_post], engagement[is_post]


def _person_amplification(
    signals: Signals, amplification: Floats, reach: Floats, people: int
) -> Floats:
    """A person's amplification: their handles' own, weighted by each handle's reach."""
    weighted = np.bincount(signals.handle_person, weights=amplification * reach, minlength=people)
    total = np.bincount(signals.handle_person, weights=reach, minlength=people)
    return np.divide(weighted, total, out=np.zeros(people), where=total > 0)


def _engagement_by_post(signals: Signals, posts: Ints, engagement: Floats) -> sparse.csr_matrix:
    """People × post numbers (as given in `Signals.post`): what each author's posts drew."""
    author = np.full(int(signals.post.max(initial=-1)) + 1, -1, dtype=np.int64)
    known = signals.post >= 0
    author[signals.post[known]] = signals.handle_person[signals.target[known]]
    return sparse.csr_matrix(
        (engagement, (author[posts], posts)), shape=(signals.people, max(len(author), 1))
    )


def _all_hidden(signals: Signals) -> NDArray[np.bool_]:
    """People whose every handle is private without access granted."""
    handles_per_person = np.bincount(signals.handle_person, minlength=signals.people)
    hidden_per_person = np.bincount(
        signals.handle_person,
        weights=signals.handle_hidden.astype(np.float64),
        minlength=signals.people,
    )
    return (handles_per_person > 0) & (hidden_per_person == handles_per_person)
