"""Event recommendation: suggest upcoming events a user will book on a ticketing platform."""
from diagrams import Edge
from diagrams.aws.storage import S3
from diagrams.elastic.elasticsearch import Elasticsearch
from diagrams.onprem.analytics import Flink, Spark
from diagrams.onprem.client import User
from diagrams.onprem.compute import Server
from diagrams.onprem.database import PostgreSQL
from diagrams.onprem.inmemory import Redis
from diagrams.onprem.monitoring import Grafana, Prometheus
from diagrams.onprem.network import Nginx
from diagrams.onprem.queue import Kafka

from mlsd import (Candidate, CaseStudy, Component, DataPreparation, Evaluation, Feature, Framing,
                  Metric, ModelDevelopment, Monitoring, Pipeline, Requirements, Scale, Serving,
                  parallel, stage)
from mlsd.nodes import (EmbeddingService, FeatureStore, LabelingQueue, ModelRegistry,
                        ModelServer, NeuralNetwork, VectorIndex)

DAILY_USERS = 8e6
REQUESTS_PER_USER = 4
IMPRESSIONS_PER_REQUEST = 20
UPCOMING_EVENTS = 3e6
NEW_EVENTS_PER_DAY = 150e3
DIGEST_USERS = 20e6  # assumption: users opted in to the weekly e-mail digest

# Request path. The ranker hosts keep the model and the whole index, so retrieval, filtering,
# hydration, scoring and re-ranking all hold a slot there: the fleet is sized from their sum.
gateway = Component("API gateway", Nginx, stage="serving", latency_ms=5,
                    note="The app's shared gateway: authentication and location; sized with "
                         "the rest of the app, not here.")
user_features = Component(
    "User features", FeatureStore, stage="data", latency_ms=10, in_flight=32,
    host="Feature store", items=DAILY_USERS, bytes_per_item=2000,
    note="Redis-backed: profile, affinities, spend profile and the cached user-tower vector "
         "of each daily user, about 2 kB.")
geo_search = Component(
    "Geo-time search", Elasticsearch, stage="serving", latency_ms=30, in_flight=16,
    host="Search cluster",
    note="Events in the user's radius over the next 60 days, by recent bookings: 300. Our "
         "load on the Elasticsearch cluster shared with search.")
followed = Component("Followed organisers", Elasticsearch, stage="serving", latency_ms=15,
                     in_flight=16, host="Search cluster",
                     note="Upcoming events of organisers the user follows: up to 100.")
new_local = Component("New local events", Elasticsearch, stage="serving", latency_ms=15,
                      in_flight=16, host="Search cluster",
                      note="Recently published events in the metro, for exploration: 50.")
friends = Component("Friends' events", Redis, stage="serving", latency_ms=10, in_flight=32,
                    host="Feature store",
                    note="Registrations of opted-in friends, kept by Flink: up to 50.")
metro_index = Component(
    "Metro event index", VectorIndex, stage="serving", latency_ms=5, in_flight=4,
    host="Ranker hosts",
    note="int8 event-tower vectors of every upcoming event, in memory on each ranker host; "
         "the user's metro partition is searched exactly: 300.")
eligibility = Component(
    "Eligibility filter", Server, stage="serving", latency_ms=5, in_flight=4,
    host="Ranker hosts",
    note="Drops past, private, sold-out, cancelled, booked and unreachable events using the "
         "inventory cache.")
hydration = Component(
    "Feature hydration", Server, stage="serving", latency_ms=15, in_flight=4,
    host="Ranker hosts",
    note="Reads event features for about 500 candidates in one multi-get and computes the "
         "user-event features (distance, price fit, affinities).")
ranker = Component("LightGBM ranker", ModelServer, stage="serving", latency_ms=25, in_flight=4,
                   host="Ranker hosts",
                   note="About 600 trees of depth 8, compiled to native code, on CPU.")
reranker = Component(
    "Re-ranker", Server, stage="serving", latency_ms=5, in_flight=4, host="Ranker hosts",
    note="Near-duplicates, organiser caps, date spread, two exploration slots and reasons.")
inventory = Component(
    "Inventory cache", Redis, stage="serving", items=UPCOMING_EVENTS, bytes_per_item=100,
    note="Remaining seats and status per upcoming event, updated from ticket sales within "
         "seconds.")
event_features = Component(
    "Event features", FeatureStore, stage="data", items=UPCOMING_EVENTS, bytes_per_item=1000,
    note="Per upcoming event: momentum, sell-through, price tiers, venue and organiser "
         "signals.")

# Publication, streaming and batch work.
integrity = Component(
    "Integrity classifier", ModelServer, stage="serving", items_per_day=NEW_EVENTS_PER_DAY,
    per_second=50, note="Scores each new event; risky ones wait for human review.")
encoder = Component(
    "Event encoder", EmbeddingService, stage="serving", items_per_day=NEW_EVENTS_PER_DAY,
    per_second=20,
    note="Distilled six-layer multilingual text encoder, then the event tower, on CPU.")
streaming = Component(
    "Streaming features", Flink, stage="data",
    items_per_day=DAILY_USERS * REQUESTS_PER_USER * IMPRESSIONS_PER_REQUEST, per_second=50e3,
    note="Hourly registrations, remaining capacity and friends registered; items are "
         "impressions and orders, per CPU.")
lake = Component(
    "Data lake", S3, stage="data", items=DAILY_USERS * REQUESTS_PER_USER * 730,
    bytes_per_item=2000, note="Two years of interaction logs, since seasonality is yearly.")
label_join = Component(
    "Label join", Spark, stage="data",
    items_per_day=DAILY_USERS * REQUESTS_PER_USER * IMPRESSIONS_PER_REQUEST, per_second=20e3,
    note="Daily: a day's impressions once their 7-day window closes, joined with orders, "
         "refunds, cancellations and check-ins; items are impressions, per CPU.")
tower_refresh = Component(
    "User-tower refresh", EmbeddingService, stage="model", items_per_day=DAILY_USERS * 2,
    per_second=1000,
    note="Hourly: re-embeds the users with new activity in the last hour, about two active "
         "hours per daily user, into the user features; per CPU.")
two_tower_training = Component(
    "Two-tower training", Spark, stage="model", items_per_day=2e6 * 182 / 7, per_second=5e3,
    note="Weekly on 26 weeks of bookings and saves (about 2 M a day, 364 M pairs) with "
         "in-metro in-batch negatives, on CPU; shown as a daily average.")
event_reencode = Component(
    "Event re-encode", Spark, stage="model", items_per_day=UPCOMING_EVENTS / 7,
    per_second=2000,
    note="Weekly: every upcoming event through the new event tower, reusing stored text "
         "embeddings; shown as a daily average, per CPU.")
digest = Component(
    "Weekly digest", Spark, stage="serving", items_per_day=DIGEST_USERS / 7, per_second=20,
    note="Assumes 20 M opted-in users, each put through retrieval and the ranker on "
         "Wednesday night; shown as a daily average, per CPU.")
training = Component(
    "Daily training", Spark, stage="model", per_second=15e3,
    items_per_day=DAILY_USERS * REQUESTS_PER_USER * IMPRESSIONS_PER_REQUEST * 84 * 0.05,
    note="LightGBM on 12 weeks of impressions, negatives down-sampled to 5%; items are "
         "examples through all 600 trees, per CPU.")

case = CaseStudy(
    slug="event-recommendation",
    title="Event recommendation on a ticketing platform",
    summary="Suggest upcoming, nearby events a user is likely to *book*, even though almost "
            "every event is new and disappears within weeks.",
    components=[gateway, user_features, geo_search, metro_index, followed, friends, new_local,
                eligibility, inventory, hydration, event_features, ranker, reranker, integrity,
                encoder, streaming, lake, label_join, training, two_tower_training,
                event_reencode, tower_refresh, digest],
    prompt="You work for an online ticketing platform where organisers publish events "
           "(concerts, workshops, meet-ups, festivals, classes) and people register or buy "
           "tickets. Design a system that shows each user a personalised list of events on "
           "the app's home screen so that more of them find an event they want to attend.",
    requirements=Requirements(
        objective="Increase **tickets booked through recommendations**, free and paid, "
                  "while serving both sides of the marketplace: attendees should enjoy what "
                  "they book, and organisers, small ones included, should sell seats they "
                  "would not have sold otherwise. The platform earns a fee per paid ticket, "
                  "but free events are a large share of activity and bring users back.",
        questions={
            "Which surface is in scope?":
                "The *For you* list on the app and web home screen, plus a weekly email "
                "digest from the same models; search is out of scope.",
            "What counts as success?":
                "A registration or purchase within 7 days of the impression; clicks and "
                "saves are signals, not the goal.",
            "Do we know where users are?":
                "Everyone has a home city; about 40% of app users share device location. "
                "Most people attend events within 30 km of home.",
            "Can we use friends' activity?":
                "Only for the roughly 15% of users who connected friends and left *show "
                "my events to friends* on.",
            "How fast must a new event become recommendable?":
                "Within minutes: popular events can sell out in hours, and many small "
                "ones are published a week before they happen.",
        },
        functional=[
            "Return up to 20 upcoming events per request, each with a short reason such as "
            "*near you this weekend*.",
            "Show only events the user can attend: future, public, not sold out, not "
            "cancelled, not already booked, and within reach or online.",
            "Make newly published events eligible within five minutes.",
            "Spread the list across dates, categories and organisers.",
            "Produce a weekly top-10 email digest, re-checked for availability at send "
            "time.",
        ],
        non_functional={
            "scalability": "8 million daily users and 3 million upcoming events, 150 k new "
                           "each day; indexes and serving partition by metro area.",
            "latency": "p99 under 150 ms server-side, since the home screen loads other "
                       "modules in parallel and must not wait on this one.",
            "throughput": "About {average_qps} on average and {peak_qps} at the "
                          "Friday-evening peak; big on-sales add short bursts, absorbed by "
                          "autoscaling and a cached per-metro list.",
            "privacy": "Location and event history reveal religion, health and politics: "
                       "location is coarsened, social signals need opt-in on both sides, "
                       "and sensitive categories never appear as visible reasons.",
            "cost": "No GPU fleet: a CPU tree-ensemble ranker, an index of a few hundred "
                    "MB, and under a hundred CPU hosts in all.",
        },
        scale=Scale(daily_active_users=DAILY_USERS, requests_per_user=REQUESTS_PER_USER,
                    peak_to_average=4, items=UPCOMING_EVENTS, embedding_dim=64,
                    compressed_bytes_per_item=64, log_bytes_per_request=2000,
                    new_items_per_day=NEW_EVENTS_PER_DAY, bytes_per_new_item=20e3),
        notes="""
            Small figures shape this design. **{peak_qps} at peak** needs only
            **{ranker_hosts.replicas}** on the ranker fleet, although each request spends its
            retrieval, filtering, hydration, scoring and re-ranking time there, and our
            queries take **{search_cluster.replicas}** of the shared search cluster. The index is
            **{embedding_index_raw}** raw and **{embedding_index_compressed}** as int8 codes,
            so every host keeps all metros in memory, and even a large metro's 100 k events
            can be searched exactly. The hard part is **time**, not scale: the
            **{new_content_per_year}** of new event content a year is mostly items that
            expire before they gather history. **{request_logs_per_year}** of logs a year is
            cheap to keep for two years (**{data_lake.size}**), which matters because
            seasonality is yearly. Daily retraining takes **{daily_training.hours}**, and the label
            join before it **{label_join.hours}**; the hourly user-tower refresh costs
            **{user_tower_refresh.hours}** a day, and the weekly two-tower retrain
            **{two_tower_training.hours}** a day on average. Assuming 20 M users opted in to
            the weekly digest, scoring it averages **{weekly_digest.hours}** a day, all of it on
            CPU.
            """,
    ),
    framing=Framing(
        ml_objective="Estimate the probability that the user **books the event within 7 "
                     "days of seeing it**, given the user, the event and the context, and "
                     "rank by it, weighted by how often bookings at that price turn up, "
                     "after eligibility filters and a diversity pass. This "
                     "proxy diverges from the business goal in three ways: it credits "
                     "bookings that would have happened anyway, it treats a free "
                     "registration like a paid ticket although free sign-ups often skip "
                     "the event, and it ignores organisers, so a model that only promotes "
                     "popular events can score well while small organisers starve. "
                     "Attendance and organiser reach are therefore guardrails, and the "
                     "re-ranker reserves room for new organisers.",
        input="A user (profile, history, coarse location), the request context (time, "
              "device, current location, surface) and eligible upcoming events.",
        output="Up to 20 event ids with a calibrated booking probability and a reason code "
               "each.",
        category="**Two-stage recommendation**: geo-time and two-tower candidate retrieval, "
                 "then **pointwise learning-to-rank** as binary classification of booking.",
        alternatives={
            "Collaborative filtering on user-event interactions":
                "Events expire before they collect interactions; collaborative signal is "
                "instead captured through stable entities: organisers, venues, categories.",
            "Click prediction":
                "Browsing a famous headliner's page is cheap curiosity, so clicks "
                "overrate big names and underrate the local workshop people book.",
            "Expected-revenue regression":
                "Skewed by a few expensive events; it would push premium tickets to "
                "everyone and bury free community events.",
            "Pairwise ranking (LambdaMART)":
                "Optimises order, but the email digest needs calibrated probabilities to "
                "decide whether an event deserves an email at all.",
        },
        notes="If pushed on incrementality: an uplift model is the principled answer but "
              "needs randomised holdout data to train. Meanwhile, events the user viewed "
              "from search or the organiser page in the last day are discounted, since "
              "they would likely be booked anyway.",
    ),
    data=DataPreparation(
        sources={
            "Event catalogue":
                "Title, description, category, organiser, venue, times, ticket tiers, "
                "capacity and inventory, in PostgreSQL, streamed to Kafka by change data "
                "capture.",
            "Orders and check-ins":
                "Registrations, purchases, refunds and door scans, in PostgreSQL and "
                "mirrored to the data lake.",
            "Interaction logs":
                "Impressions, clicks, saves, shares and *hide* taps from app, web and "
                "email, via Kafka into Parquet tables in the lake.",
            "Users and social graph":
                "Profile, home city, onboarding interests, followed organisers and "
                "opted-in friendships, in the account service.",
            "Trust and safety":
                "Scam and policy flags on events and organisers, from a classifier and a "
                "human review queue.",
        },
        labels="Labels are **natural**: an impression is positive if the user orders that "
               "event within 7 days, credited to the latest impression before the order; "
               "the user's earlier impressions of that event are dropped, not made "
               "negative, so each user and event yield one example. "
               "About 60% of bookings come within an hour, the rest over the week, so "
               "labels mature after 7 days and training lags a week. Orders refunded within "
               "48 hours or for events the organiser cancelled are dropped, not made "
               "negative, because the user did want to go. Noise: group purchases (four "
               "friends, one buyer), bookings on the organiser's own site, and unseen "
               "impressions, so only impressions half visible for one second count. "
               "**Check-ins** are a slower second label used to weight positives. **Hand "
               "labels** exist only for integrity: reviewers judge events the scam "
               "classifier flags.",
        features=[
            Feature("Distance to venue",
                    "Haversine km from current or home location, log-transformed, plus a "
                    "travel-time bucket; online events get a flag and distance zero."),
            Feature("Time until event",
                    "Log hours to start; event weekday and start hour as sine/cosine "
                    "pairs; weekend and evening flags."),
            Feature("Price fit",
                    "Lowest available price over the user's median past spend (log "
                    "ratio), a free flag, and price bucket within category."),
            Feature("Category affinity",
                    "The user's weight for the event's category in a 90-day decayed "
                    "distribution of bookings, saves and clicks."),
            Feature("Text similarity",
                    "Cosine between a 384-d sentence embedding of the event and the mean "
                    "embedding of events the user booked or saved."),
            Feature("Two-tower score",
                    "The retrieval model's dot product as a single float."),
            Feature("Organiser signals",
                    "Follows-organiser flag, the user's past bookings with them (log1p), "
                    "their Beta-smoothed sell-through rate and log followers."),
            Feature("Social proof",
                    "log1p of opted-in friends registered; zero without connections."),
            Feature("Event momentum",
                    "log1p registrations in the last hour and day, smoothed view-to-booking "
                    "rate, remaining capacity fraction."),
            Feature("User and context",
                    "Account age, bookings in 30 and 365 days (log1p), away-from-home "
                    "flag, surface, device, local hour and weekday."),
        ],
        pipeline=[
            "Change data capture streams event and inventory updates into Kafka within "
            "seconds.",
            "Flink keeps streaming features (hourly registrations, remaining capacity, "
            "friends registered) in the Redis-backed online feature store.",
            "The ranker logs the features it served; a daily Spark job joins impressions "
            "with orders over the 7-day window, minus refunds and cancellations.",
            "Daily jobs recompute slow features (affinities, sell-through, spend profile), "
            "and distribution checks block training on large shifts.",
        ],
        privacy="Device location needs permission, is stored only as a roughly 1 km "
                "geohash, and exact coordinates are dropped after scoring. Friends' "
                "bookings show only when both opted in and the event is public. Sensitive "
                "categories (religious services, health groups, political rallies, LGBTQ+ "
                "events) may be recommended but never used as reasons, email subjects or "
                "social proof. Organisers see aggregate reach only, and logs stay in their "
                "region for two years.",
        bias="**Incumbency bias**: big organisers have history, followers and momentum, "
             "so new ones never get the exposure to prove themselves; exploration slots "
             "and a new-organiser quota counter it. **Free-event bias**: free events "
             "convert far more, so the ranking weights each probability by the check-in rate of "
             "its price band (the label stays a plain booking). "
             "**Geographic bias**: dense cities dominate the data, so metro size is a "
             "feature and metrics are cut by density. **Position bias**: a training-only "
             "position feature, fixed at serving.",
        notes="Cold start is the normal case: most events are under two weeks old. So the "
              "features describe **stable entities** (organiser, venue, category, price "
              "band, time slot) and the user's relation to them; the model never sees an "
              "event id.",
    ),
    model=ModelDevelopment(
        baseline="Rules: public events within 25 km in the next 30 days, in the user's top "
                 "three categories, sorted by bookings in the last week. Easy to explain, "
                 "strong in big cities, and the fallback when models fail.",
        candidates=[
            Candidate(
                "Logistic regression",
                "A linear model on dense features plus hand-built crosses such as distance "
                "bucket x price bucket.",
                pros=["Fast, calibrated by construction and easy to debug."],
                cons=["Every interaction must be hand-crafted.",
                      "Underfits: billions of examples support far richer interactions."]),
            Candidate(
                "Gradient-boosted trees (LightGBM)",
                "About 600 trees of depth 8 on the dense features, including two-tower "
                "and text-similarity scores.",
                pros=["Learns interactions of distance, time, price and affinity unaided.",
                      "Handles missing values natively, which suits users without location "
                      "or friends.",
                      "Scores 500 candidates in tens of milliseconds on CPU."],
                cons=["Cannot learn embeddings; they must arrive as features.",
                      "Retrained in full rather than updated incrementally."]),
            Candidate(
                "Multi-task deep and cross network",
                "Organiser, venue, category and user embeddings, cross layers, and heads "
                "for click, save and booking.",
                pros=["Learns entity embeddings end to end and transfers signal from "
                      "plentiful clicks to sparse bookings."],
                cons=["Needs more bookings and tuning than the platform comfortably has.",
                      "Harder to calibrate and explain."]),
            Candidate(
                "Graph neural network",
                "GraphSAGE-style embeddings on the graph of users, organisers and venues.",
                pros=["A new event inherits signal from who books its organiser and "
                      "venue."],
                cons=["Another pipeline with graph-sampling and leakage pitfalls, for "
                      "gains that overlap organiser-level features."]),
        ],
        choice="**Retrieval** merges five sources: a geo-time query (events in the user's "
               "radius over the next 60 days, by recent bookings, 300), a **two-tower "
               "model** searched in the user's metro partition (300), followed organisers "
               "(up to 100), friends' events (up to 50) and newly published local events "
               "for exploration (50). The event tower sees only content and stable "
               "entities, so a new event has a good vector at publication. **Ranking** is "
               "**LightGBM** with the two-tower score as a feature: bookings are sparse "
               "(about 500 k a day from 640 M impressions) and the strongest signals are "
               "dense. A **re-ranker** "
               "drops near-duplicates (sessions of one festival), caps organisers at two "
               "slots, spreads dates and gives two of 20 slots to exploration. The DCN "
               "comes once bookings grow; GNN embeddings are tried first as features.",
        loss="The ranker minimises **binary cross-entropy** on booked versus not, with "
             "down-sampled negatives weighted by their inverse sampling rate, so its output "
             "is a calibrated P(book) for the email threshold. A free registration is worth "
             "about 0.6 of a paid one (fewer check-ins), but that weight is applied to the "
             "score when ranking, not to the labels: weighted positives would no longer "
             "estimate P(book) and would push free events below the email threshold. The two-tower model uses **sampled "
             "softmax** over in-batch negatives with a log-frequency correction, each "
             "batch drawn from one metro so negatives are plausible local alternatives.",
        training_data="**Ranker**: 12 weeks of viewable impressions. About 0.08% lead to a "
                      "booking, so negatives are down-sampled to 5% (about one positive in "
                      "60) and reweighted. Clicked-but-not-booked impressions are kept in "
                      "full as hard negatives: they teach interest versus intent. At most "
                      "50 examples per user per day. **Two-tower**: bookings and saves "
                      "from 26 weeks as positives; in-batch same-metro events and hidden "
                      "events as negatives. **Splits** by time with a gap: train on weeks "
                      "1 to 10, skip week 11 so no label window straddles the boundary, "
                      "validate on week 12. A second test set holds only events published "
                      "after training, the cold-start case the system lives in.",
    ),
    evaluation=Evaluation(
        offline=[
            Metric("Recall@300 per candidate source",
                   "Share of next-week bookings retrieved at all; the ranker cannot "
                   "recover a miss."),
            Metric("ROC-AUC and log loss",
                   "Ordering, and calibration for the email threshold."),
            Metric("nDCG@20 on booking sessions",
                   "Quality of the visible list, also reported for events under 48 hours "
                   "old."),
            Metric("Organiser coverage",
                   "Share of active organisers in anyone's top 20; catches models that "
                   "ignore the long tail."),
        ],
        online=[
            Metric("Bookings per active user",
                   "Primary: registrations and purchases attributed to the list and "
                   "digest, per user per week."),
            Metric("Gross ticket value per user",
                   "The revenue view, so a shift towards free events is visible."),
            Metric("Attendance rate",
                   "Check-ins over recommended bookings; a drop means empty sign-ups."),
            Metric("New-organiser reach",
                   "Share of first-time organisers' events with a recommended booking "
                   "within a week: the supply-side guardrail."),
        ],
        gap="Logged impressions were chosen by the current system, and events change "
            "before replay: an event sold out by the time a new model would show it earns "
            "offline credit it could never earn online. The label also credits bookings "
            "that would have happened anyway. Seasonality is strong, so a model validated "
            "in February can misbehave in festival season, and list-level qualities such "
            "as date spread barely move pointwise metrics.",
        experiments="A **user-randomised A/B test** is the main tool. With about 5% of "
                    "daily users booking, a 2% relative lift at 80% power needs roughly "
                    "0.8 million users per arm, reached in days, but tests run **three "
                    "weeks**: two weekly cycles plus the attribution window. Seats are "
                    "scarce, so treatment users can buy out events control users wanted, "
                    "inflating lift; demand-shifting changes also get **metro-level "
                    "randomisation** over matched cities. **Interleaving** screens rankers "
                    "on clicks and saves in days, and **off-policy estimates** "
                    "(self-normalised IPS on the exploration slots, whose propensities "
                    "are logged) gauge a ranker before launch. Guardrails: p99 latency, "
                    "refund rate, email unsubscribes, attendance and new-organiser reach. "
                    "A 2% unpersonalised holdout measures incremental bookings quarterly.",
    ),
    serving=Serving(
        pipelines=[
            Pipeline("Home screen request", "online", [
                gateway,
                "Resolve location (device, else home city) and metro partition.",
                user_features,
                "Query the five candidate sources in parallel with time-outs: geo-time "
                "search, the metro event index, followed organisers, friends' events and "
                "new local events.",
                eligibility,
                hydration,
                ranker,
                reranker,
                "Return 20 with reasons and log the served features.",
            ]),
            Pipeline("Event publication", "streaming", [
                "Change data capture emits a new or edited event to Kafka.",
                integrity,
                "Risky events wait for human review.",
                encoder,
                "The event enters the metro index and geo-time index within two minutes.",
                "Ticket sales update the inventory cache within seconds.",
            ]),
            Pipeline("Training", "batch", [
                label_join,
                "Join impressions, orders, refunds and check-ins for the last matured "
                "week.",
                training,
                "Retrain LightGBM daily.",
                two_tower_training,
                event_reencode,
                "Retrain the two-tower weekly and re-encode all upcoming events.",
                tower_refresh,
                "Refresh cached user vectors hourly with the current user tower.",
                "Compare with production on the held-out week and new-event slice, then "
                "register.",
            ]),
            Pipeline("Weekly digest", "batch", [
                digest,
                "Wednesday night, score each opted-in user's candidates for the next ten "
                "days.",
                "Keep at most ten events above a calibrated probability threshold.",
                "Re-check availability at each time zone's send time.",
            ]),
        ],
        latency_path=[
            gateway,
            user_features,
            parallel(geo_search, metro_index, followed, friends, new_local),
            eligibility,
            hydration,
            ranker,
            reranker,
            ("Response and async logging", 5),
        ],
        latency_target_ms=150,
        placement="""
            Cloud CPU instances in two regions for data residency and latency. Each ranker
            host holds the model (tens of MB) and the whole int8 index
            ({embedding_index_compressed}), so retrieval and scoring need no extra hop; since
            a request holds one of a host's four slots from the index search to the
            re-ranking, {ranker_hosts.replicas} cover the peak. The geo-time, organiser and
            new-event queries use the Elasticsearch cluster shared with search. Nothing runs
            on the device.
            """,
        compression="**int8 scalar quantisation** makes vectors 4 times smaller with "
                    "negligible recall loss; product quantisation is unnecessary for 3 "
                    "million items. The publication-time text encoder is a **distilled** "
                    "six-layer multilingual model, since it runs on every edit. LightGBM "
                    "is **compiled to native code**, roughly halving scoring time.",
        rollout="**Shadow** for two days to compare scores, latency and top-20 overlap "
                "with production; a **5% canary** with automatic rollback on errors, "
                "latency or click-through; the three-week A/B test; then 100% in two steps. "
                "Two-tower model and index ship as one versioned bundle, and rollback "
                "flips the registry pointer to one of two versions kept loaded.",
        notes="On-sales for a major artist can multiply a metro's traffic tenfold for an "
              "hour. A non-personalised per-metro list, refreshed every five minutes, is "
              "served when the ranker's queue grows, so the home screen stays fast. The median "
              "path is {latency_total}; the rest of the {latency_target} target is left to "
              "the tail, slowest candidate source first.",
    ),
    monitoring=Monitoring(
        operational=[
            "Latency and errors per step and per candidate source, with time-out rates.",
            "Publication lag (published to retrievable) per metro, and inventory lag.",
            "Fallback rate to the rule-based or cached list.",
            "Kafka consumer lag and Flink checkpoint health.",
        ],
        ml_signals=[
            "Calibration by metro, surface and event age, daily as labels mature.",
            "Drift of distance, price and time-until-event, which move with seasons and "
            "travel.",
            "Null rates of location, social and momentum features; missing text "
            "embeddings.",
            "Output health: sold-out-at-click share, free-event share, organiser Gini, new "
            "organisers in top slots, and thin candidate sets in rural areas.",
        ],
        alerts=[
            "Page when p99 exceeds 150 ms or fallback exceeds 3% for 10 minutes.",
            "Page when publication lag exceeds five minutes, the promise to organisers, or "
            "inventory lag one minute.",
            "Ticket when a major metro's calibration leaves 0.85 to 1.15 for two days.",
            "Ticket when the refund rate of recommended bookings rises 20% above its "
            "four-week mean, an early sign of scam events.",
        ],
        retraining="LightGBM retrains **daily** on a sliding 12-week window; the two-tower "
                   "model **weekly**, with all upcoming events re-encoded. Calibration "
                   "alerts and seasonal turns (festival season, December) trigger extra "
                   "runs, validated also on last year's same period. Promotion requires "
                   "matching production on AUC without losing ground on new events, rural "
                   "users or new organisers.",
        failure_modes={
            "Sold-out or cancelled events shown":
                "Users click, cannot buy and lose trust; the live inventory cache filters "
                "each request and the digest re-checks at send time.",
            "Scam events":
                "Fake bargains convert well and would be promoted; new organisers' events "
                "pass the integrity classifier and, if flagged, human review, and refund "
                "spikes raise an alert.",
            "Sparse regions":
                "Rural users get too few candidates; the radius widens step by step and "
                "online events fill the rest.",
            "Travelling users":
                "When the device is far from home for over a day, the current metro drives "
                "retrieval and the reason says so.",
            "One huge event everywhere":
                "A major festival would take every top slot; the re-ranker caps each event "
                "and organiser and rotates the first slot.",
            "Leaking private attendance":
                "A social reason could expose a friend's presence at a sensitive event; "
                "social signals are filtered by both users' settings and the category "
                "before ranking.",
        },
    ),
)


@case.diagram("System architecture")
def architecture():
    attendee = User("Attendee")
    organiser = User("Organiser")
    with stage("serving", "Online serving"):
        edge = gateway()
        with stage("serving", "Candidate sources"):
            geo = geo_search()
            index = metro_index()
            follows = followed()
            social = friends()
            fresh = new_local()
        filt = eligibility()
        seats = inventory()
        hydrate = hydration()
        score = ranker()
        rerank = reranker()
        check = integrity()
        encode = encoder()
        mail = digest()
    with stage("data", "Data"):
        catalogue = PostgreSQL("Events and orders")
        events = Kafka("Event stream")
        flink = streaming()
        users = user_features()
        event_feats = event_features()
        logs = lake()
        labels = label_join()
    with stage("model", "Training"):
        train = training()
        towers = two_tower_training()
        registry = ModelRegistry("Model registry")
        reembed = event_reencode()
        refresh = tower_refresh()
    with stage("monitoring", "Monitoring"):
        metrics = Prometheus("Metrics")
        dashboards = Grafana("Dashboards")

    attendee >> edge >> users
    users >> Edge(label="user vector") >> index
    users >> [geo, follows, social, fresh]
    [geo, index, follows, social, fresh] >> filt
    seats >> Edge(style="dashed") >> filt
    filt >> hydrate >> score >> rerank
    event_feats >> Edge(style="dashed") >> hydrate
    rerank >> Edge(label="20 events") >> attendee
    organiser >> Edge(label="publish") >> catalogue >> events
    attendee >> Edge(label="clicks, orders", constraint="false") >> events
    events >> check >> encode
    encode >> Edge(label="vectors") >> index
    encode >> Edge(label="documents") >> [geo, fresh]
    events >> Edge(label="tickets sold") >> seats
    events >> flink >> [users, event_feats, social]
    events >> logs >> labels >> [train, towers]
    [train, towers] >> registry
    registry >> reembed >> Edge(label="weekly", constraint="false") >> index
    registry >> refresh >> Edge(label="hourly", constraint="false") >> users
    [users, seats] >> Edge(style="dashed") >> mail
    registry >> Edge(label="models", constraint="false") >> [score, encode]
    rerank >> metrics >> dashboards


@case.diagram("Event publication pipeline", stage="serving", direction="LR")
def publication():
    organiser = User("Organiser")
    with stage("data", "Capture"):
        db = PostgreSQL("Events database")
        cdc = Kafka("Change stream")
    with stage("serving", "Make it recommendable"):
        check = integrity()
        encode = encoder()
        index = metro_index()
        search = geo_search()
        seats = inventory()
    with stage("data", "Integrity review"):
        review = LabelingQueue("Human review")
    organiser >> db >> cdc >> check
    check >> Edge(label="clean") >> encode
    check >> Edge(label="risky") >> review
    review >> Edge(label="cleared", constraint="false") >> encode
    encode >> index
    encode >> search
    cdc >> Edge(label="tickets sold") >> seats


@case.diagram("Two-tower retrieval", stage="model", direction="TB")
def two_tower():
    with stage("data", "Inputs"):
        history = FeatureStore("Booked and saved events")
        profile = FeatureStore("Home metro, price band")
        text = FeatureStore("Text embedding (frozen encoder)")
        meta = FeatureStore("Organiser, venue, time slot")
    with stage("model", "Two-tower model"):
        user_tower = NeuralNetwork("User tower")
        event_tower = NeuralNetwork("Event tower (no event id)")
        loss = NeuralNetwork("In-metro sampled softmax")
    with stage("serving", "Retrieval at request time"):
        user_vectors = user_features()
        index = metro_index()
        lookup = eligibility()
    history >> user_tower
    profile >> user_tower
    text >> event_tower
    meta >> event_tower
    user_tower >> Edge(label="training") >> loss
    event_tower >> Edge(label="training") >> loss
    user_tower >> Edge(label="hourly") >> user_vectors
    user_vectors >> Edge(label="user vector") >> index
    event_tower >> Edge(label="on publish") >> index
    index >> Edge(label="nearest 300") >> lookup
