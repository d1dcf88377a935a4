"""Similar listings: a carousel of comparable stays under a listing on a vacation-rental site."""
from diagrams import Edge
from diagrams.aws.storage import S3
from diagrams.onprem.analytics import Flink, Spark
from diagrams.onprem.client import User
from diagrams.onprem.database import PostgreSQL
from diagrams.onprem.inmemory import Redis
from diagrams.onprem.monitoring import Grafana, Prometheus
from diagrams.onprem.network import Nginx
from diagrams.onprem.queue import Kafka
from diagrams.onprem.workflow import Airflow
from diagrams.programming.flowchart import Document, Sort

from mlsd import (Candidate, CaseStudy, Component, DataPreparation, Evaluation, Feature, Framing,
                  Metric, ModelDevelopment, Monitoring, Pipeline, Requirements, Scale, Serving,
                  stage)
from mlsd.nodes import (EmbeddingService, FeatureStore, ModelRegistry, ModelServer,
                        NeuralNetwork, VectorIndex)

# Declared once: drawn in the diagrams, sized in the capacity table, timed on the latency path.
# Online times are medians (p50). Retrieval sits on the ranker's hosts, so one fleet is sized
# from everything a request does there.
session_context = Component(
    "Carousel service", Nginx, stage="serving", latency_ms=3, in_flight=8,
    host="Carousel hosts", note="Parses the request and reads the session's recent events.")
query_vector = Component(
    "Query vector", EmbeddingService, stage="serving", latency_ms=2, in_flight=8,
    host="Carousel hosts",
    note="0.7 anchor vector plus 0.3 mean of the session's clicked vectors, from the bundle.")
listing_index = Component(
    "Listing index", VectorIndex, stage="serving", latency_ms=6, in_flight=8,
    host="Carousel hosts", items=7e6, bytes_per_item=214,
    note="Int8 codes (64 B) plus about 150 B of HNSW links per listing, all markets on "
         "every host.")
availability = Component(
    "Availability cache", Redis, stage="serving", latency_ms=8, in_flight=4, items=7e6,
    bytes_per_item=1.5e3,
    note="A 365-night bitmap and nightly prices per listing; one replica serves about "
         "4 batched reads of 300 keys at once (some 150 k keys a second).")
features = Component(
    "Feature store", FeatureStore, stage="data", latency_ms=10, in_flight=16,
    items=7e6, bytes_per_item=500,
    note="One batched read of about 60 features for some 150 candidates; a row of about "
         "60 values plus keys per listing.")
ranker = Component(
    "Ranker", ModelServer, stage="serving", latency_ms=12, in_flight=8, host="Carousel hosts",
    note="Click and booking heads over about 150 candidates on CPU.")
caps = Component(
    "Caps and exploration", Sort, stage="serving", latency_ms=2, in_flight=8,
    host="Carousel hosts", note="At most two cards per host; two of twelve slots explore.")
card_pricing = Component(
    "Card pricing", Document, stage="serving", latency_ms=4, in_flight=8,
    host="Carousel hosts",
    note="Totals for the dates and a last availability check on the 12 cards.")
calendar_stream = Component(
    "Calendar stream", Flink, stage="data", items_per_day=35e6, per_second=5e3,
    note="About five calendar, price or status changes a day per listing.")
event_lake = Component(
    "Event lake", S3, stage="data", items_per_day=600e6, bytes_per_item=400,
    note="About 600 M client events a day (150 M listing views plus searches, impressions, "
         "clicks and wishlists) as hourly Parquet, about 400 B each, kept 13 months.")
sessionise = Component(
    "Sessionise job", Spark, stage="data", items_per_day=600e6, per_second=20e3,
    note="Daily: cuts the day's events into sessions and emits click sequences tagged with "
         "the booked listing, at about 20 k events a second per core.")
impression_log = Component(
    "Impression snapshots", S3, stage="data", items=13.5e9, bytes_per_item=1.2e3,
    note="90 days of carousel requests with their serving-time features.")
skip_gram = Component(
    "Session embeddings", NeuralNetwork, stage="model", hardware="GPU", items_per_day=300e6,
    per_second=200e3,
    note="Daily warm start on the day's click pairs (with 5 negatives each); the monthly "
         "rebuild is sized on its own.")
embedding_rebuild = Component(
    "Embedding rebuild", NeuralNetwork, stage="model", hardware="GPU", items_per_day=3.3e9,
    per_second=200e3,
    note="Once a month from scratch on 12 months of click pairs (about 100 B), counted as a "
         "daily average over 30 days.")
index_build = Component(
    "Index build", Spark, stage="model", items_per_day=7e6, per_second=5e3,
    note="Daily: quantises all 7 M vectors to int8 and inserts them into per-market HNSW "
         "graphs at about 5 k a second per core.")
content_encoder = Component(
    "Content encoder", EmbeddingService, stage="model", hardware="GPU", items_per_day=25e3,
    per_second=10,
    note="Photo encoder and content tower for each new listing (about 25 photos), as it "
         "is published.")
ranker_training = Component(
    "Ranker training", NeuralNetwork, stage="model", items_per_day=570e6, per_second=5e3,
    note="4 B rows once a week, counted per day, at about 5 k rows a second per core over "
         "all boosting rounds.")
registry = Component("Model registry", ModelRegistry, stage="model",
                     note="Index, content tower, caches and ranker published as one bundle.")


case = CaseStudy(
    slug="similar-listings",
    components=[session_context, query_vector, listing_index, availability, features, ranker,
                caps, card_pricing, calendar_stream, event_lake, sessionise, impression_log,
                skip_gram, embedding_rebuild, content_encoder, index_build, ranker_training,
                registry],
    title="Similar listings on a vacation-rental platform",
    summary=("A carousel of bookable alternatives in the same destination, retrieved with "
             "listing embeddings learned from browsing sessions and ordered by a "
             "booking-aware ranker."),
    prompt=("A vacation-rental marketplace shows a *Similar listings* carousel on every listing "
            "page. Guests often open a place that is almost right (wrong dates, a little too "
            "expensive, one bedroom short) and leave. Design the system that fills that "
            "carousel so that more guests find a place they book."),
    requirements=Requirements(
        objective=(
            "Raise **completed bookings** by helping guests who are comparing places reach a "
            "suitable alternative in fewer steps. A secondary goal is marketplace health: "
            "demand should spread over good hosts, new ones included, instead of piling onto "
            "a few famous homes."),
        questions={
            "Must suggestions be in the same destination as the anchor listing?": (
                "Yes: someone viewing a flat in Lisbon is planning a Lisbon trip. Candidates "
                "come from the same market; small rural markets may widen the radius."),
            "Do guests usually have dates and a party size?": (
                "About 60% of listing views come from a dated search, and then every "
                "suggestion must be bookable for those nights. Undated views rank on "
                "availability over the next 90 days."),
            "Is the carousel personalised?": (
                "Lightly. Guests book once or twice a year, so long-term history is thin; the "
                "current session (prices clicked, room types, filters) matters most, and "
                "logged-out guests must be served well too."),
            "How fresh must it be?": (
                "Availability and price must be right at request time. Embeddings can refresh "
                "daily, but a newly published listing should be eligible within the hour."),
            "Are there rules beyond relevance?": (
                "No suspended hosts or listings failing trust checks, at most two cards per "
                "host, and no paid placement on this organic surface."),
        },
        functional=[
            "Given an anchor listing and the request context, return up to 12 other listings "
            "(8 on the apps), ordered, all bookable and relevant.",
            "Enforce hard constraints: same market, capacity for the party, availability for "
            "the nights, minimum-stay rules and trust flags.",
            "Make new listings eligible before they have any engagement history.",
            "Log every impression with position, model version and features, and serve a "
            "batch variant for abandoned-checkout e-mails.",
        ],
        non_functional={
            "scalability": (
                "7 M active listings in about 80 k markets and 25 M daily guests. The index "
                "is {listing_index.size} with its graph links, so every node holds all "
                "markets and the service scales by replication."),
            "latency": (
                "The carousel sits below the fold: **100 ms at p99** server-side, and it must "
                "never delay the main listing content."),
            "throughput": (
                "About {average_qps} on average and {peak_qps} at peak, with seasonal "
                "spikes in January and early summer."),
            "privacy": (
                "Session signals stay under a pseudonymous id; one guest's activity is never "
                "visible to another, and exact addresses never enter features."),
            "cost": (
                "CPU serving; GPUs only for embedding training (daily, plus the monthly "
                "rebuild) and photo encoding."),
        },
        scale=Scale(daily_active_users=25e6, requests_per_user=6, peak_to_average=3,
                    items=7e6, embedding_dim=64, compressed_bytes_per_item=64,
                    log_bytes_per_request=1200, new_items_per_day=25e3,
                    bytes_per_new_item=8e6),
        notes=(
            "The estimates show the index is not the hard part: 7 M listings at 64 "
            "dimensions is {embedding_index_raw} raw and {embedding_index_compressed} as int8 "
            "codes. The hard parts are "
            "**hard constraints** that change by the minute (calendars, prices) and a **slow, "
            "sparse label** (bookings arrive days after the impression). New content, about "
            "{new_content_per_year} a year, is mostly photos and matters for the photo "
            "encoder, not the request path. Impression logs reach about "
            "{request_logs_per_year} a year, so full feature snapshots are kept for 90 days "
            "({impression_snapshots.size}) and aggregates after that."),
    ),
    framing=Framing(
        ml_objective=(
            "Rank candidates for an (anchor, session) pair by the probability that the guest "
            "**clicks the card and then books that listing**. Retrieval uses a cheaper proxy: "
            "listings engaged with in the same session are substitutes. Co-engagement captures "
            "what guests actually compare (price band, neighbourhood, style) better than "
            "catalogue attributes, but it diverges where clicks come from striking photos or "
            "curiosity about luxury homes, which is why the ranker targets bookings."),
        input=(
            "Anchor listing id, market, optional dates, party size, device, and the session's "
            "recent events (listings viewed, clicked, wishlisted, filters)."),
        output=(
            "Up to 12 ordered listing ids with scores, all available for the stated dates and "
            "party, plus model and index versions for logging."),
        category=(
            "Two-stage **retrieval and learning-to-rank**: nearest-neighbour retrieval on "
            "embeddings within the market, then a multi-task ranker whose click and booking "
            "heads combine into one score."),
        alternatives={
            "Attribute similarity only": (
                "Explainable and kept as baseline and fallback, but blind to style and to what "
                "guests really trade off."),
            "Guest-by-listing collaborative filtering": (
                "Guests book so rarely that the matrix is nearly empty; item-to-item session "
                "signals are far denser."),
            "Offline pairwise classification": (
                "Quadratic in market size and blind to dates and session, which decide what "
                "is bookable."),
            "Generating lists with a language model": (
                "Too slow and costly at {peak_qps}, hard to constrain to "
                "availability, and it ignores behaviour."),
        },
        notes=(
            "*Similar* is not *identical*: a guest who leaves the anchor usually wants "
            "something slightly different (cheaper, bigger, nearer the beach), so the ranker "
            "must learn useful differences rather than maximise cosine similarity. If asked "
            "about optimising revenue, I would add price only as a mild tie-breaker, since "
            "weighting by price pushes towards homes guests rarely book."),
    ),
    data=DataPreparation(
        sources={
            "Client event stream": (
                "Search, view, impression, click, wishlist and booking-request events, sent "
                "through Kafka and landed hourly as Parquet in the S3 data lake."),
            "Listing catalogue": (
                "Attributes, amenities, host, coarse location and policies in PostgreSQL, "
                "copied to the lake by change-data capture."),
            "Calendar and pricing service": (
                "Per-night availability, prices and minimum stays, mirrored into a Redis cache "
                "by a Flink job within seconds."),
            "Bookings, reviews and trust signals": (
                "Reservations and cancellations, ratings, host response rates and trust flags, "
                "snapshotted daily."),
            "Listing photos": (
                "Images in object storage, encoded into one pooled image embedding per listing."),
        },
        labels=(
            "Labels are **natural**, from guest behaviour. For embeddings, two listings clicked "
            "within a few steps in the same session (30-minute inactivity gap) form a positive "
            "pair, and the listing booked at the end of a session is a positive for every "
            "listing that session touched. For the ranker, each impression gets a **click** "
            "label within seconds and a **booking** label (booking request within 7 days, "
            "confirmed by the host) about 8 days later; bookings are roughly 1 in 60 clicks. "
            "Noise: clicks under 5 seconds of dwell count as misclicks, cards beyond the "
            "first three are often not seen (position bias), and cancelled bookings are kept "
            "as a separate label. A weekly human review of 500 lists catches gross errors but "
            "is not training data."),
        features=[
            Feature("Embedding similarity",
                    "Cosine of anchor and candidate session embeddings, plus the candidate's "
                    "retrieval rank."),
            Feature("Price ratio", "log(candidate price / anchor price) for the dates, and "
                    "against the median price the guest clicked this session."),
            Feature("Distance to anchor", "Haversine km, log-transformed, in 10 per-market "
                    "quantile buckets."),
            Feature("Capacity difference", "Signed differences in bedrooms, beds and maximum "
                    "guests, clipped to [-3, 3]."),
            Feature("Property type match", "One-hot candidate type crossed with a "
                    "same-as-anchor flag."),
            Feature("Amenity overlap", "Jaccard of amenity sets plus 20 binary flags for "
                    "high-value amenities."),
            Feature("Review quality", "Bayesian-smoothed rating (prior 4.6 worth 10 reviews) "
                    "and log1p(review count)."),
            Feature("Historical engagement", "Smoothed 28-day carousel CTR and booking rate, "
                    "with a new-listing flag."),
            Feature("Photo similarity", "Cosine of pooled image embeddings."),
            Feature("Trip context", "Days to check-in and nights, log-bucketised; party size; "
                    "one-hot device."),
            Feature("Host reliability", "Response, acceptance and cancellation rates; "
                    "instant-book flag."),
        ],
        pipeline=[
            "Consumers validate event schemas, filter bots and write hourly lake partitions.",
            "A daily Spark job sessionises events and emits click sequences tagged with the "
            "booked listing ({sessionise_job.hours} a day).",
            "Ranker rows join each impression with the features logged at serving time and, "
            "once the 8-day window closes, with its labels.",
            "Flink streams calendar and price changes into the availability cache and online "
            "feature store.",
            "Data checks (row counts, null rates, label rates per market) gate every training "
            "set in Airflow.",
        ],
        privacy=(
            "The embedding pipeline keys sessions by a rotating pseudonymous id; addresses are "
            "reduced to a coarse grid cell; raw events are kept 13 months (the lake grows by "
            "{event_lake.growth} a year), and deletion "
            "requests propagate to the next training snapshot. Suggestions aggregate many "
            "guests, so no individual's behaviour can be read off a carousel."),
        bias=(
            "**Popularity and position bias** feed each other: shown listings collect clicks, "
            "look similar to everything and get shown more, while new listings have no "
            "sessions at all. Big-city, short-notice trips dominate sessions. Price can proxy "
            "for neighbourhood demographics, so exposure is monitored by area and host group "
            "and capped per host."),
        notes=(
            "The trap is point-in-time correctness: today's rating or price is not what the "
            "guest saw three weeks ago. Logging features at serving time removes that leak "
            "and makes training-serving skew measurable."),
    ),
    model=ModelDevelopment(
        baseline=(
            "Rules: same market and property type, capacity within one guest, within 5 km, "
            "price within 30%, available, sorted by smoothed rating times log review count. It "
            "ships in a week and stays as the fallback."),
        candidates=[
            Candidate(
                "Session skip-gram embeddings",
                "Treat each session's clicks like a sentence and learn a 64-d vector per "
                "listing with skip-gram and negative sampling.",
                pros=["Learns substitution from what guests actually compare.",
                      "Cheap to retrain daily; vectors fit in memory."],
                cons=["No vector for listings without sessions.",
                      "Ignores dates and party, so retrieval only."]),
            Candidate(
                "Content two-tower encoder",
                "A tower over attributes, text and photo embedding, trained contrastively on "
                "co-clicked pairs.",
                pros=["Embeds a listing the moment it is published.",
                      "Generalises to markets with few sessions."],
                cons=["Weaker than behaviour for established listings."]),
            Candidate(
                "GNN on the co-engagement graph",
                "GraphSAGE-style aggregation over listing content, with co-clicks as edges.",
                pros=["Combines behaviour and content in one space."],
                cons=["Much more infrastructure for an uncertain gain over the two above."]),
            Candidate(
                "Multi-task ranker (GBDT, then DCN-v2)",
                "Scores retrieved candidates on anchor, candidate, pair and trip features.",
                pros=["Uses dates, stay price and session preferences, which retrieval cannot."],
                cons=["Needs debiased training on logged impressions; a second model to run."]),
        ],
        choice=(
            "**Two stages.** Retrieval uses skip-gram vectors where a listing has enough "
            "sessions (about 85% of traffic); the content tower, trained to land near those "
            "vectors, embeds new and rare listings into the same index. Ranking starts as two "
            "GBDTs with log loss on about 60 features, one for *p(click)* and one for "
            "*p(book | click)*, so their outputs are probabilities the score can multiply "
            "(a LambdaMART ranker would order well but give no probabilities); it then moves "
            "to a DCN-v2 with click and booking heads, because the rare booking head gains from sharing layers with "
            "plentiful clicks. Score: `p(click) * (p(book | click) + 0.1)`; the constant keeps "
            "some weight on engagement when the booking estimate is uncertain. The GNN is a "
            "later experiment."),
        loss=(
            "Embeddings: skip-gram negative-sampling loss `-log σ(v_l·v_c) - Σ log σ(-v_l·v_n)`, "
            "with the booked listing added as a positive context and 5 same-market negatives "
            "per pair so the model cannot win by separating cities. Content tower: in-batch "
            "softmax (temperature 0.05) plus MSE towards the skip-gram vector. Ranker: "
            "`BCE(click) + 2 * BCE(click and book)` over all impressions, with the booking "
            "head as `p(click) * p(book | click)` so it trains on the whole impression space, "
            "and inverse position-propensity weights."),
        training_data=(
            "Embeddings use 12 months of sessions, so every season is present: about 150 M "
            "listing views a day yield some 300 M click pairs, roughly 100 B a year. The daily "
            "job warm-starts on the latest day ({session_embeddings.hours} a day) and a monthly "
            "rebuild trains on the whole year ({embedding_rebuild.hours} a day averaged over the "
            "month), with the latest month up-weighted; negatives come from the unigram "
            "distribution to the power 0.75 plus same-market hard negatives, and very popular "
            "listings are down-sampled as positives. The ranker uses 28 days of matured "
            "impressions (about 4 B rows), keeping 10% of non-clicks re-weighted by 10 so "
            "probabilities stay calibrated. Splits are by time (days 1-21 train, 22-25 "
            "validate, 26-28 test) and no session crosses them."),
        notes=(
            "On cold start: a new listing's vector blends towards its behavioural embedding "
            "as sessions accumulate (weight n/(n+20) after n sessions), and two of twelve "
            "slots can explore listings under 30 days old via a Thompson-sampling bonus. "
            "Vectors from different trainings are not comparable, so index, content tower "
            "and caches are always published together under one version."),
    ),
    evaluation=Evaluation(
        offline=[
            Metric("Recall@300 of the next click",
                   "Is the listing clicked next in a held-out session among the 300 retrieved "
                   "for the previous one? It bounds what the ranker can do."),
            Metric("Booked-listing rank",
                   "In sessions ending in a booking, how high the booked listing ranks for "
                   "listings viewed earlier; lower means it would surface sooner."),
            Metric("nDCG@12 on logged impressions",
                   "Gains of 3 for a booking and 1 for a click or wishlist, propensity "
                   "weighted, matching a short, top-heavy carousel."),
            Metric("Booking-head calibration",
                   "The score multiplies two probabilities, so miscalibration silently "
                   "reorders lists; checked per market."),
        ],
        online=[
            Metric("Bookings per exposed guest (primary)",
                   "Counted per guest over 7 days, so carousel bookings that merely replace "
                   "search bookings do not count as wins."),
            Metric("Carousel click-through and booking rate",
                   "Fast, sensitive diagnostics that the surface itself works."),
            Metric("Host exposure spread",
                   "Gini of impressions across a market's listings and the share reaching "
                   "new listings: a marketplace guardrail."),
            Metric("Cancellations and p99 latency",
                   "Guardrails: poor matches show up as cancellations, slowness as lost "
                   "scroll-through."),
        ],
        gap=(
            "Offline data was chosen by the old system, so listings it never showed earn no "
            "credit even with propensity weights. Co-click recall rewards *similar*, while "
            "guests often book what is *better* on one axis. Carousel wins can cannibalise "
            "bookings search would have produced. And availability, booking lag and season "
            "all differ between the logged period and the test."),
        experiments=(
            "**Team-draft interleaving** on 5% of traffic for a few days screens rankers by "
            "click and wishlist preference. A 1% slice with a lightly shuffled top 8 supports "
            "self-normalised IPS estimates of new rankers before they ship. The decision is an "
            "**A/B test by guest** (device id when logged out), since trips span sessions, run "
            "for at least 14 days to cover two weekly cycles plus the attribution window. "
            "With about 3% of exposed guests booking, a 1% relative lift at 80% power needs "
            "roughly 5 M guests per arm, well within the 14 days, and less with CUPED. Both arms "
            "compete for the same nights, so big wins are confirmed with a market-level "
            "switchback."),
        notes=(
            "Offline metrics act as filters, not decisions. The e-mail variant is judged "
            "against a holdout that receives no e-mail."),
    ),
    serving=Serving(
        pipelines=[
            Pipeline("Carousel request", "online", [
                session_context,
                query_vector,
                listing_index,
                "Search the market for 300 candidates: an HNSW graph in the few thousand "
                "markets above about 2,000 listings, an exact scan of the int8 codes in the "
                "rest (80 k markets average under 100 listings), widening to neighbouring "
                "markets when a small one runs short.",
                availability,
                "Filter on availability and trust flags in the availability cache, keeping "
                "about 150.",
                features,
                ranker,
                "Fetch features in one batch from the feature store and score with the ranker.",
                caps,
                card_pricing,
                "Log the impression with its features, model and index versions.",
            ]),
            Pipeline("Availability stream", "streaming", [
                calendar_stream,
                "The stream turns calendar, price and status changes into per-listing 365-night "
                "bitmaps and prices in Redis within seconds.",
                "Suspended listings leave the index within minutes.",
            ]),
            Pipeline("New listing", "streaming", [
                content_encoder,
                "The vector is inserted into its market's index, so a listing is eligible "
                "within minutes of publishing, well inside the hour.",
            ]),
            Pipeline("Embedding and index build", "batch", [
                sessionise,
                skip_gram,
                "Daily: sessionise, train skip-gram warm-started on the new day, re-encode "
                "cold listings with the content tower.",
                embedding_rebuild,
                "Monthly: retrain from scratch on 12 months of sessions in place of that day's "
                "warm start.",
                index_build,
                "Quantise to int8, build an HNSW graph for each large market, version the "
                "bundle.",
                "A canary replays 10 k logged queries and checks neighbour overlap before "
                "rollout.",
            ]),
            Pipeline("Ranker training", "batch", [
                ranker_training,
                "Weekly: train on 28 days of matured impressions, evaluate on the time split.",
                "Register and promote only after offline wins and shadow checks.",
            ]),
        ],
        latency_path=[
            session_context,
            query_vector,
            listing_index,
            availability,
            features,
            ranker,
            caps,
            card_pricing,
            ("Network and serialisation", 5),
        ],
        latency_target_ms=100,
        placement=(
            "Cloud CPUs. Retrieval holds every market in memory ({listing_index.size} per "
            "node with HNSW links) and sits next to the ranker to save a hop, so one carousel "
            "host does the request parsing, query vector, search, ranking, caps and pricing, "
            "and the fleet is sized from all of that work, not the ranker's alone: with 8 "
            "requests in flight and 60% utilisation it is **{carousel_hosts.replicas}** at "
            "peak, spread over three zones. The availability cache needs {availability_cache.replicas} and the "
            "feature store {feature_store.replicas}. The median path is {latency_total} "
            "against the {latency_target} p99 target; the gap is for tails."),
        compression=(
            "Int8 scalar quantisation shrinks the index 4x (1.8 GB to 450 MB) for under 1% "
            "recall loss; product quantisation is unnecessary at this size. The DCN stays "
            "small (three cross layers, a 256-128 MLP) and could be distilled into a GBDT if "
            "it outgrows the budget. Undated requests without session signals (logged-out "
            "guests on their first view) are cached per anchor for 10 minutes; any session "
            "click shifts the query, so those requests always search live."),
        rollout=(
            "Shadow on mirrored traffic for 48 hours (latency, empty lists, overlap), a 1% "
            "canary with automatic rollback, the A/B test, then ramp. The previous bundle "
            "stays loaded, so rollback is a flag flip."),
        notes=(
            "Why not precompute 12 per listing? It works for undated e-mail, but for dated "
            "requests the availability filter would often leave the list nearly empty. "
            "Precomputing 300 neighbours offline is a fair alternative to live HNSW search; "
            "live search wins because the session vector can shift the query."),
    ),
    monitoring=Monitoring(
        operational=[
            "Latency per step at p50 and p99, errors, and the share served by the fallback.",
            "Short carousels (under 6 cards) by market and by dated versus undated requests.",
            "Freshness: index bundle age, availability-stream lag, publish-to-eligible time.",
        ],
        ml_signals=[
            "Score drift per market against last week (population stability index).",
            "Calibration of predicted versus observed booking rate by market and price band.",
            "Embedding stability: top-20 neighbour overlap for 10 k listings between index "
            "versions.",
            "Feature nulls, out-of-range prices, and skew between logged and recomputed "
            "features.",
            "Share of clicked cards that were unavailable at click time.",
        ],
        alerts=[
            "Page if p99 exceeds 100 ms for 10 minutes, the fallback serves over 5% of "
            "requests, or the availability stream lags over 2 minutes.",
            "Block index promotion if neighbour overlap falls below 50% or canary Recall@300 "
            "drops by over 2 points.",
            "Ticket when a large market's CTR falls 15% week on week or calibration error "
            "doubles.",
        ],
        retraining=(
            "Embeddings retrain **daily**, warm-started and aligned to yesterday's space so "
            "neighbours stay stable, with a monthly rebuild from scratch. The ranker retrains "
            "**weekly**, and early when calibration drifts or before seasonal turns."),
        failure_modes={
            "Stale availability shows booked-out homes": (
                "Lag alerts and a final check at card pricing; if the stream is down, hide "
                "the carousel for dated requests."),
            "New listings never shown": (
                "Content-tower vectors at publish and exploration slots, tracked through the "
                "new-listing impression share."),
            "Popularity feedback loop": (
                "Down-sample popular positives, cap host impressions, learn from the "
                "randomised slice."),
            "Small markets return few candidates": (
                "Widen the radius in steps and fill from the rule baseline."),
            "Fake engagement games similarity": (
                "Bot filtering before sessionisation and alerts on sudden co-click jumps."),
            "Sudden demand shifts (festivals, travel restrictions)": (
                "Short-window features react within a day; operators can force the baseline "
                "per market."),
        },
        notes=(
            "The signal I would watch first after launch is *clicked but unavailable*: it "
            "maps directly to guest frustration and catches availability bugs that ranking "
            "metrics miss."),
    ),
)


@case.diagram("System architecture")
def architecture():
    guest = User("Guest")
    with stage("data", "Data"):
        events = Kafka("Event stream")
        lake = event_lake()
        sess = sessionise()
        log = impression_log()
        catalogue = PostgreSQL("Listing catalogue")
        calendar = calendar_stream()
        store = features()
    with stage("model", "Training"):
        dags = Airflow("Training DAGs")
        skipgram = skip_gram()
        rebuild = embedding_rebuild()
        encoder = content_encoder()
        build = index_build()
        ranker_train = ranker_training()
        models = registry()
    with stage("serving", "Carousel service"):
        service = session_context()
        query = query_vector()
        index = listing_index()
        avail = availability()
        rank = ranker()
        rules = caps()
        pricing = card_pricing()
    with stage("monitoring", "Monitoring"):
        metrics = Prometheus("Metrics")
        dash = Grafana("Dashboards")

    guest >> Edge(label="listing page") >> service >> query >> index >> avail >> rank
    rank >> rules >> pricing
    pricing >> Edge(label="impressions", constraint="false") >> log
    guest >> Edge(label="clicks", constraint="false") >> events
    events >> lake >> dags
    lake >> sess >> dags
    log >> lake
    catalogue >> lake
    catalogue >> encoder
    calendar >> avail
    dags >> [skipgram, rebuild, ranker_train]
    [skipgram, rebuild] >> encoder
    [skipgram, rebuild, encoder] >> build >> models
    ranker_train >> models
    encoder >> Edge(constraint="false") >> index
    lake >> store
    store >> Edge(style="dashed") >> rank
    models >> Edge(label="index bundle") >> index
    models >> rank
    rank >> metrics >> Edge(minlen="0") >> dash


@case.diagram("Embedding training", stage="model", direction="TB")
def embedding_training():
    with stage("data", "Session data"):
        sessions = Spark("Sessionise clicks")
        positives = Document("Window pairs")
        booked = Document("Booked listing")
        negatives = Document("Same-market negatives")
        content_in = S3("Listing content")
    with stage("model", "Embeddings"):
        trainer = skip_gram()
        encoder = content_encoder()
        vectors = EmbeddingService("Listing vectors")
    with stage("serving", "Index"):
        index = listing_index()
    sessions >> [positives, booked, negatives]
    [positives, booked, negatives] >> trainer
    trainer >> Edge(label="targets", constraint="false") >> encoder
    content_in >> encoder
    trainer >> vectors
    encoder >> Edge(label="cold start") >> vectors
    vectors >> Edge(label="int8") >> index


@case.diagram("Retrieval and ranking funnel", stage="serving", direction="TB")
def funnel():
    guest = User("Guest views listing")
    with stage("serving", "Retrieve: 7 M to 150"):
        service = session_context()
        query = query_vector()
        ann = listing_index()
        avail = availability()
    with stage("serving", "Rank: 150 to 12"):
        store = features()
        rank = ranker()
        rules = caps()
        pricing = card_pricing()
    guest >> service >> Edge(label="anchor + session") >> query >> ann
    ann >> Edge(label="top 300") >> avail
    avail >> Edge(label="~150 candidates") >> rank
    store >> Edge(style="dashed") >> rank
    rank >> rules >> Edge(label="12 cards") >> pricing
