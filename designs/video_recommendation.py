"""Video recommendation: rank a personalised set of videos for a user's homepage."""
from diagrams import Edge
from diagrams.aws.storage import S3
from diagrams.onprem.analytics import Flink, Spark
from diagrams.onprem.client import Client, User
from diagrams.onprem.compute import Server
from diagrams.onprem.database import Cassandra
from diagrams.onprem.inmemory import Redis
from diagrams.onprem.monitoring import Grafana, Prometheus
from diagrams.onprem.network import Nginx
from diagrams.onprem.queue import Kafka

from mlsd import (Candidate, CaseStudy, Component, DataPreparation, Evaluation, Feature, Framing,
                  Metric, ModelDevelopment, Monitoring, Pipeline, Requirements, Scale, Serving,
                  parallel, stage)
from mlsd.nodes import (EmbeddingService, FeatureStore, ModelRegistry, ModelServer,
                        NeuralNetwork, VectorIndex)

DAILY_USERS = 400e6
REQUESTS_PER_USER = 6
IMPRESSIONS_PER_REQUEST = 25
VIDEOS = 800e6
CLICK_RATE = 0.04
EXAMPLES_PER_DAY = (DAILY_USERS * REQUESTS_PER_USER * IMPRESSIONS_PER_REQUEST
                    * (CLICK_RATE + (1 - CLICK_RATE) * 0.25))

# Request path. Hosts group the steps that run on the same machines, so each fleet is sized
# from all the time a request spends on it.
gateway = Component("API gateway", Nginx, stage="serving", latency_ms=5, in_flight=128,
                    note="Authentication, device, locale and page number.")
user_features = Component(
    "User features", FeatureStore, stage="data", latency_ms=15, in_flight=64,
    host="Feature store", items=DAILY_USERS, bytes_per_item=2000,
    note="Per daily user: last 100 watches with watch fractions, 20 queries as one 128-d "
         "vector, creator affinities and session counters, about 2 kB.")
user_tower = Component("User tower", EmbeddingService, stage="serving", latency_ms=10,
                       in_flight=32, host="Retrieval hosts",
                       note="One CPU pass over history, searches and context: a 128-d vector.")
ann_index = Component(
    "ANN index (IVF-PQ)", VectorIndex, stage="serving", latency_ms=25, in_flight=32,
    host="Retrieval hosts",
    note="All videos as 32-byte PQ codes in RAM on every retrieval host; the top 2,000 hits "
         "are re-scored with full vectors from local SSD and 1,000 returned.")
fresh_index = Component(
    "Fresh index (HNSW)", VectorIndex, stage="serving", latency_ms=5, in_flight=32,
    host="Retrieval hosts", items=3e6, bytes_per_item=128 * 4,
    note="Float vectors of the uploads since the last daily rebuild, at most a day's worth.")
cowatch = Component(
    "Co-watch neighbours", Cassandra, stage="serving", latency_ms=15, in_flight=64,
    items=VIDEOS, bytes_per_item=50 * 8,
    note="The 50 videos most often watched after each video (8-byte ids), in Cassandra, "
         "rebuilt daily from the lake; read for the user's last ten watches, 300 candidates.")
subscriptions = Component(
    "Subscription uploads", Redis, stage="serving", latency_ms=10, in_flight=128,
    host="Source cache", note="Recent uploads per creator in Redis, 200 candidates.")
trending = Component("Regional trending", Redis, stage="serving", latency_ms=5, in_flight=128,
                     host="Source cache",
                     note="Rising videos per country and language in Redis, 100 candidates.")
exploration = Component(
    "Fresh exploration", Redis, stage="serving", latency_ms=5, in_flight=128,
    host="Source cache",
    note="New uploads and new creators under their exposure budget, 100 candidates.")
merge_filter = Component(
    "Merge and filter", Server, stage="serving", latency_ms=5, in_flight=32,
    host="Homepage mixer",
    note="De-duplicates about 1,700 candidates to about 1,500; Bloom filters drop watched, "
         "muted and removed videos.")
pre_ranker = Component("Pre-ranker", ModelServer, stage="serving", latency_ms=15, in_flight=32,
                       host="Homepage mixer",
                       note="Small model distilled from the ranker's value score, on CPU: "
                            "about 1,500 candidates to 500.")
video_features = Component(
    "Video features", FeatureStore, stage="data", latency_ms=15, in_flight=64,
    host="Feature store", items=VIDEOS, bytes_per_item=500,
    note="Metadata, engagement rates and counters per video, read in one multi-get for the "
         "500 candidates.")
embeddings = Component(
    "Embedding service", EmbeddingService, stage="serving", latency_ms=15, in_flight=64,
    items=VIDEOS, bytes_per_item=64,
    note="Sharded in-memory id-embedding tables: at most one 64-d int8 row per video; creator "
         "and hash-bucket rows are small beside them.")
ranker = Component("Multi-task ranker", ModelServer, stage="serving", latency_ms=40,
                   in_flight=16, hardware="GPU",
                   note="MMoE with DCN-v2 on inference GPUs: 500 candidates in one FP16 batch.")
reranker = Component("Re-ranker", Server, stage="serving", latency_ms=10, in_flight=32,
                     host="Homepage mixer",
                     note="Value model, diversity and creator caps, policy demotions; returns "
                          "30 videos and caches the next page.")

# Streaming and batch work.
label_join = Component(
    "Label join", Flink, stage="data",
    items_per_day=DAILY_USERS * REQUESTS_PER_USER * IMPRESSIONS_PER_REQUEST, per_second=50e3,
    note="Joins each logged impression with its outcomes over the 6-hour window and updates "
         "the streaming counters; items are impressions, per CPU.")
lake = Component(
    "Data lake", S3, stage="data", items=DAILY_USERS * REQUESTS_PER_USER * 90,
    bytes_per_item=IMPRESSIONS_PER_REQUEST * 160,
    note="90 days of full-fidelity impression logs (25 impressions of about 160 bytes per "
         "request); older days survive as samples and aggregates.")
ranker_training = Component(
    "Ranker training", Spark, stage="model", hardware="GPU", per_second=50e3,
    items_per_day=EXAMPLES_PER_DAY,
    note="Daily warm start on the newest labelled day: every click and a quarter of the other "
         "impressions; items are examples, per GPU.")
full_retrain = Component(
    "Weekly full retrain", Spark, stage="model", hardware="GPU", per_second=50e3,
    items_per_day=EXAMPLES_PER_DAY * 30 / 7,
    note="The ranker from scratch on 30 days of examples (about 500 B) once a week, about "
         "2,800 GPU-hours a run; shown as a daily average.")
cowatch_build = Component(
    "Co-watch build", Spark, stage="data", per_second=20e3,
    items_per_day=DAILY_USERS * REQUESTS_PER_USER * IMPRESSIONS_PER_REQUEST * CLICK_RATE,
    note="Daily: pairs each play with the next five in its session, merges the counts into "
         "decayed totals and keeps the top 50 per video; items are plays, per CPU.")
video_tower = Component(
    "Video tower", EmbeddingService, stage="serving", items_per_day=3e6, per_second=200,
    note="Encodes each upload from its content embeddings and metadata within minutes.")
two_tower_training = Component(
    "Two-tower training", Spark, stage="model", hardware="GPU", per_second=100e3,
    items_per_day=DAILY_USERS * REQUESTS_PER_USER * IMPRESSIONS_PER_REQUEST * CLICK_RATE
    * 0.5 * 30 / 7,
    note="Weekly on 30 days of satisfied watches (about half of plays, some 36 B pairs) "
         "with in-batch negatives; shown as a daily average, per GPU.")
reencode = Component(
    "Weekly re-encode", Spark, stage="model", hardware="GPU", items_per_day=VIDEOS / 7,
    per_second=20e3,
    note="All videos through the new video tower once a week, when the two-tower model "
         "retrains; shown as a daily average.")
index_build = Component(
    "Index build", Spark, stage="model", items_per_day=VIDEOS, per_second=50e3,
    note="Daily: folds in the day's uploads, drops removed videos and rebuilds IVF-PQ; "
         "codebooks are retrained with each weekly re-encode. Items are videos, per CPU.")

case = CaseStudy(
    slug="video-recommendation",
    title="Homepage video recommendations",
    summary="Fill a user's homepage with videos they will *enjoy watching*, chosen from "
            "hundreds of millions of candidates in under 200 ms.",
    components=[gateway, user_features, user_tower, ann_index, fresh_index, cowatch,
                subscriptions, trending, exploration, merge_filter, pre_ranker, video_features,
                embeddings, ranker, reranker, video_tower, label_join, lake, cowatch_build,
                ranker_training, full_retrain, two_tower_training, reencode,
                index_build],
    prompt="You work on a large video-sharing platform. When a signed-in user opens the app "
           "or the website, the homepage shows a grid of recommended videos. Design the system "
           "that chooses and orders those videos so that people find things worth watching "
           "and keep coming back.",
    requirements=Requirements(
        objective="Grow **long-term satisfaction and retention**: day to day, *satisfied "
                  "watch time* started from the homepage; over weeks, how many users come "
                  "back. A page of clickbait lifts clicks this week and loses users next "
                  "quarter.",
        questions={
            "Which surface is in scope?":
                "The homepage for signed-in users on app and web; *watch next* and search "
                "are separate systems that share data and models.",
            "Which signals exist besides clicks?":
                "Viewable impressions, watch heartbeats, likes, dislikes, shares, "
                "subscriptions, *not interested* taps and a satisfaction survey shown on "
                "about 1% of watches.",
            "How fresh must it be?":
                "Uploads from followed creators are eligible within minutes, and a video "
                "watched a minute ago shapes the next refresh.",
            "What policy constraints apply?":
                "Removed and age-restricted videos never appear, borderline content is "
                "demoted, and under-13 accounts get no history-based personalisation.",
            "How common is cold start?":
                "Everyday: about 5% of daily users have little history and 3 million "
                "videos are uploaded daily.",
        },
        functional=[
            "Return about 30 ordered videos per homepage load, with more pages on scroll.",
            "Exclude finished, muted, removed and *not interested* videos.",
            "Reflect in-session behaviour on the next refresh.",
            "Keep the page varied across topics, creators and formats.",
            "Give new uploads and creators a measured chance to be seen.",
        ],
        non_functional={
            "scalability": "400 million daily users and 800 million recommendable videos "
                           "growing by 3 million a day; every tier shards by user or item.",
            "latency": "Server-side p99 under 200 ms: the homepage is the app's first "
                       "screen, and delay there visibly costs engagement.",
            "throughput": "About {average_qps} on average and {peak_qps} at the evening "
                          "peak; with 500 candidates each in the heavy ranker, about 35 "
                          "million model evaluations per second at peak.",
            "privacy": "Watch history reveals health, politics and sexuality: encrypted, "
                       "pseudonymous, deletable, and unused for child accounts.",
            "cost": "GPU inference dominates, so cheap stages cut candidates before the "
                    "heavy ranker, and the compressed index fits in one host's RAM.",
        },
        scale=Scale(daily_active_users=DAILY_USERS, requests_per_user=REQUESTS_PER_USER,
                    peak_to_average=2.5, items=VIDEOS, embedding_dim=128,
                    compressed_bytes_per_item=32,
                    log_bytes_per_request=IMPRESSIONS_PER_REQUEST * 160,
                    new_items_per_day=3e6, bytes_per_new_item=20e3),
        notes="""
            **{peak_qps} at peak** rules out scoring the corpus with a rich model, hence a
            funnel. The **{embedding_index_raw}** raw index shrinks to
            **{embedding_index_compressed}** with 32-byte PQ codes, so each retrieval host
            holds a full replica. **{request_logs_per_year}** of impression logs a year (about
            25 impressions per request at some 160 bytes each: ids, position, context and
            scores; served feature values go to a separate, sampled feature log) means
            full-fidelity logs live about 90 days, **{data_lake.size}** in the lake, and older
            data survives as sampled examples and aggregates. *New content* counts only what
            the recommender keeps per upload (metadata and embeddings), not video files.

            The heavy ranker needs **{multi_task_ranker.replicas}** at peak, 40 ms a request
            with 16 in flight; its daily warm start takes **{ranker_training.hours}**, and
            the weekly full retrain over 30 days adds **{weekly_full_retrain.hours}** a day
            averaged over the week, the largest training cost; the weekly two-tower retrain
            averages **{two_tower_training.hours}** a day. Rebuilding the co-watch lists
            from the day's plays takes **{co_watch_build.hours}**. The CPU
            side is sized per host from all the time a request spends there:
            **{retrieval_hosts.replicas}** for the user tower and both indexes,
            **{homepage_mixer.replicas}** for merging, pre-ranking and re-ranking, and
            **{feature_store.replicas}** for the feature store.
            """,
    ),
    framing=Framing(
        ml_objective="For each (user, video, context), predict the outcomes of an "
                     "impression: click probability, expected watch time given a click, "
                     "probability of a like or share, probability of a dislike or *not "
                     "interested*, and an expected survey score. A *value model*, a "
                     "weighted combination of these heads, ranks the page. Retention is the "
                     "real goal but no single impression reveals it; the proxy drifts from "
                     "it where engagement and satisfaction part (outrage bait, videos left "
                     "playing), so negative and survey heads carry real weight and "
                     "retention is read from long-running holdouts.",
        input="The user's history, profile and request context (device, time, locale, page), "
              "plus candidate videos from retrieval.",
        output="About 30 video ids in order, each logged with its score and candidate "
               "source.",
        category="**Multi-stage recommendation**: two-tower embedding retrieval with "
                 "approximate nearest-neighbour search, then pointwise multi-task "
                 "learning-to-rank and re-ranking.",
        alternatives={
            "Click prediction only":
                "Plentiful labels, but it rewards thumbnails that over-promise.",
            "Watch-time regression only":
                "Favours long videos and background playback, and punishes excellent "
                "short clips.",
            "Matrix factorisation alone":
                "No context or content features, so fresh uploads never surface.",
            "Slate-level reinforcement learning":
                "The right long-term direction, but hard to evaluate and debug; a later "
                "layer on top of this ranker.",
        },
        notes="The value-model weights are product policy (what a like is worth next to a "
              "minute watched), set by online experiments and reviewed by people. Watch "
              "time enters with an exponent below one to damp the pull towards long "
              "videos.",
    ),
    data=DataPreparation(
        sources={
            "Client events":
                "Impressions, plays, 10-second watch heartbeats, likes, dislikes and "
                "survey answers, via Kafka into hourly Parquet in the data lake.",
            "Video catalogue":
                "Title, tags, language, duration, upload time, creator and policy status, "
                "in Cassandra with change events on Kafka.",
            "Content understanding":
                "Frame, audio and transcript embeddings from the upload pipeline.",
            "Accounts":
                "Language, country, age band, subscriptions and the history-paused and "
                "child-account flags.",
            "Search history":
                "Recent queries per user, kept 90 days, used only as embeddings.",
        },
        labels="Labels are **natural**, joined onto each logged impression: a *click* is a "
               "play start; *watch time* sums heartbeats, capped at 60 minutes; likes, "
               "shares, dislikes and *not interested* are explicit. Watch time is final "
               "only when the session ends, so the join waits a **6-hour attribution "
               "window**. The survey is the only hand-given label: sparse (1% of watches) "
               "but far less fooled by clickbait. Noise comes from autoplay, background "
               "tabs (discounted when hidden), shared family devices and impressions "
               "never seen, so only impressions at least half visible for one second "
               "count.",
        features=[
            Feature("Watch history",
                    "Last 100 video ids as 64-d learned embeddings weighted by watch "
                    "fraction; target attention in the ranker, mean pooling in the user "
                    "tower."),
            Feature("Search history",
                    "Last 20 queries through a frozen text encoder, averaged to 128-d."),
            Feature("Video id",
                    "64-d learned embedding once a video has 1,000 impressions; rarer ids "
                    "share hash buckets and lean on content."),
            Feature("Video content",
                    "Frozen 256-d embedding of frames, audio and transcript, projected to "
                    "64-d."),
            Feature("Video metadata",
                    "Duration in 20 log buckets, log hours since upload, language and topic "
                    "embeddings."),
            Feature("Engagement rates",
                    "Click, watch-fraction and like rates over 1 h, 1 d and 7 d, smoothed "
                    "with a Beta prior, plus log impressions."),
            Feature("Creator",
                    "Creator id as a 32-d learned embedding, log subscriber count, and a "
                    "binary *user subscribes* flag."),
            Feature("User-creator affinity",
                    "log1p of the user's watches of this creator in 28 days; hours since "
                    "the last, bucketed."),
            Feature("Context",
                    "Hour and weekday as sine/cosine, device and country embeddings, page "
                    "number."),
            Feature("Position (training only)",
                    "Slot index and device into a shallow bias tower during training; set "
                    "to a constant at serving so scores are position-free."),
        ],
        pipeline=[
            "Clients batch events to a logging edge that validates schemas and writes to "
            "Kafka, keyed by user.",
            "Flink drops bots and duplicates, joins impressions with outcomes within the "
            "window, and updates streaming counters in the online feature store.",
            "The ranker logs the feature values it served (every request for recent days, "
            "a sample beyond); training joins labels to them, "
            "which avoids training/serving skew and leakage.",
            "A daily job builds training shards (negative sampling, per-user caps) and "
            "blocks training on schema or distribution anomalies.",
        ],
        privacy="Pausing or deleting history removes it from the lake and online features "
                "within 24 hours, and it leaves the models at the next weekly full "
                "retrain, which starts afresh from the last 30 days of the lake. Child "
                "accounts get a non-personalised model and are excluded from training. Ids "
                "are pseudonymised, data stays in-region where law requires, and sensitive "
                "topics never appear as visible reasons.",
        bias="**Exposure bias**: logs only show reactions to what the old model chose; an "
             "exploration slice randomises lower slots and is weighted by inverse "
             "propensity. **Position bias**: handled by the training-only tower. "
             "**Popularity bias**: the logQ term in retrieval only removes the sampling skew of "
             "in-batch negatives, so an exposure budget for new creators and the coverage "
             "metric do the counteracting. **Duration bias**: watch time compared "
             "within duration buckets. **Heavy users**: capped at 200 examples a day.",
    ),
    model=ModelDevelopment(
        baseline="Most-watched videos of the last day in the user's country and language, "
                 "plus new uploads from subscriptions; then implicit matrix factorisation "
                 "(weighted ALS on watch fractions), the bar every later model must clear "
                 "on the same held-out day.",
        candidates=[
            Candidate(
                "Matrix factorisation",
                "One vector per user and per video, learned from the watch matrix.",
                pros=["Cheap to train and serve, and its vectors drop straight into an "
                      "ANN index.",
                      "Strong on popular videos with dense interactions."],
                cons=["No context, content or sequence; fresh uploads have no vector.",
                      "User vectors change only at retraining, missing in-session intent."]),
            Candidate(
                "Two-tower retrieval",
                "A user tower over history, searches and context and a video tower over "
                "id, content, metadata and creator, each producing 128-d vectors.",
                pros=["Video vectors are precomputed, so retrieval is one user-tower pass "
                      "and an ANN lookup.",
                      "Content features give new uploads a vector on day one."],
                cons=["Users and videos meet only in a dot product, so no feature crosses.",
                      "Sensitive to negative sampling, which skews popularity."]),
            Candidate(
                "Multi-task ranker (MMoE with DCN-v2)",
                "Per-candidate features through DCN-v2 cross layers and target attention "
                "over history, then gated experts and one small tower per task.",
                pros=["Learns explicit crosses and candidate-aware attention.",
                      "Gates stop the plentiful click task from swamping sparse tasks."],
                cons=["Orders of magnitude costlier per candidate than a dot product.",
                      "Several heads complicate calibration and debugging."]),
            Candidate(
                "Gradient-boosted trees ranker",
                "LightGBM over dense features: rates, counts, affinities and two-tower "
                "similarity.",
                pros=["Fast to iterate and robust to feature scale; a useful yardstick "
                      "for new dense features."],
                cons=["Cannot learn id embeddings or attend over watch sequences, where "
                      "much of the signal lies.",
                      "Multi-task training and daily warm starts are awkward."]),
        ],
        choice="A **funnel**. Retrieval merges the two-tower ANN (1,000 candidates, from the "
               "main IVF-PQ index and the fresh index of recent uploads), co-watch "
               "neighbours of recent watches (300, precomputed lists in Cassandra), "
               "subscription uploads (200), regional trending (100) and fresh exploration "
               "(100), the last three from lists kept in Redis. A **pre-ranker** distilled from "
               "the heavy ranker cuts the roughly 1,500 survivors of de-duplication and "
               "filtering to 500; the **MMoE/DCN-v2 ranker** scores them; a **re-ranker** "
               "applies the value model, topic diversity, at most two videos per creator "
               "in the first 12 slots, and policy demotions.",
        loss="**Retrieval**: sampled softmax over in-batch plus uniform corpus negatives, "
             "with logQ correction so popular videos are not over-penalised. **Ranker**: a "
             "weighted sum of binary cross-entropy for click, positive and negative heads "
             "on viewable impressions, a Poisson loss with a log link on capped seconds for "
             "watch time on clicked ones (its prediction is the expected seconds the "
             "objective asks for, where a loss on log(1 + seconds) would estimate the mean "
             "log and under-state long watches), and squared error on surveyed watches. The position tower's "
             "logit joins the click logit in training only.",
        training_data="**Retrieval positives** are satisfied watches (30 seconds or half the "
                      "video) without a dislike. Skipped impressions are kept out of "
                      "retrieval negatives, as they sit close to the user's taste, but "
                      "they are the ranker's natural hard negatives. Clicks are about 4% "
                      "of impressions, so ranker negatives are down-sampled to 25% and "
                      "click probabilities corrected back. Splits are by time: train on 30 "
                      "days, validate on the next, test on the one after. The ranker "
                      "warm-starts daily and fully retrains weekly.",
        notes="Natural extensions: a transformer over the last few hundred watches in the "
              "user tower, cached per session; and graduating new creators from the "
              "exploration pool to id embeddings once they pass the impression threshold.",
    ),
    evaluation=Evaluation(
        offline=[
            Metric("Recall@1000 per retrieval source",
                   "Whether next-day satisfied watches were retrieved at all."),
            Metric("AUC and normalised cross-entropy per binary head",
                   "Ordering and calibration of the click, like/share and dislike heads; "
                   "the watch-time and survey heads, regressions, get the ratio of predicted "
                   "to observed mean per duration bucket. A miscalibrated head breaks the "
                   "value model."),
            Metric("Watch-time-weighted nDCG@30",
                   "Order quality of logged pages, with gains from capped watch time."),
            Metric("Coverage and intra-page diversity",
                   "Share of videos and creators ever recommended and mean topic distance "
                   "within a page; catches models that win accuracy by collapsing onto "
                   "popular videos."),
        ],
        online=[
            Metric("Satisfied watch time per user",
                   "Primary short-term metric: homepage watch time without negative "
                   "feedback."),
            Metric("7- and 28-day return rate",
                   "The business goal; slow, so read from long-running holdouts."),
            Metric("Negative feedback rate",
                   "Dislikes, *not interested* and low survey scores: the clickbait "
                   "guardrail."),
            Metric("Platform-wide watch time",
                   "Catches a homepage that wins only by taking watches from search."),
        ],
        gap="Offline metrics replay logs of the old policy, so videos it never showed earn "
            "no credit and imitation looks best. They score impressions while users judge "
            "pages: five good videos on one topic feel repetitive. Re-weighting heads can "
            "shift calibration, extra latency costs engagement offline metrics never see, "
            "and a ranker that narrows interests can look fine for weeks.",
        experiments="Ideas are first screened by **team-draft interleaving** on 1% of "
                    "traffic, which separates two rankers with far fewer users than an A/B "
                    "test, in about two days. **Off-policy estimates** (self-normalised "
                    "IPS and doubly robust) on the "
                    "exploration slice, whose propensities are logged, estimate a new "
                    "ranker's value before launch. Survivors get a **user-randomised A/B "
                    "test** at 2% per arm (8 million users each) for **14 days or more** "
                    "to cover weekly cycles and novelty; CUPED on pre-period watch time "
                    "makes a 0.2% change detectable. Guardrails: p99 latency, negative "
                    "feedback, borderline impressions, creator concentration. A 0.5% "
                    "**long-term holdout** measures retention.",
    ),
    serving=Serving(
        pipelines=[
            Pipeline("Homepage request", "online", [
                gateway,
                user_features,
                user_tower,
                "Query the main and fresh indexes and the four other candidate sources in "
                "parallel, each with a time-out.",
                merge_filter,
                pre_ranker,
                "Hydrate the 500 from the video features and the embedding service.",
                ranker,
                reranker,
                "Return 30 videos, cache the next page, log asynchronously.",
            ]),
            Pipeline("New video indexing", "streaming", [
                "On upload, the content pipeline emits frame, audio and transcript "
                "embeddings.",
                video_tower,
                fresh_index,
                "Searchable within minutes, beside the main index.",
            ]),
            Pipeline("Daily index rebuild and training", "batch", [
                cowatch_build,
                "Count the day's co-watched pairs into decayed totals and reload the top 50 "
                "per video into Cassandra.",
                ranker_training,
                "Distil the pre-ranker from the new ranker's value score.",
                full_retrain,
                "Weekly: train the ranker afresh on the last 30 days; the following warm "
                "starts continue from it.",
                "Weekly: retrain the two-tower model and re-encode every video with its "
                "video tower; on other days the stored vectors are reused.",
                two_tower_training,
                reencode,
                index_build,
                "Check recall against exact search, then swap towers and index together. "
                "The fresh index restarts with the uploads since the build's snapshot, "
                "encoded by the new pair's video tower.",
            ]),
        ],
        latency_path=[
            gateway,
            user_features,
            user_tower,
            parallel(ann_index, fresh_index, cowatch, subscriptions, trending, exploration),
            merge_filter,
            pre_ranker,
            parallel(video_features, embeddings),
            ranker,
            reranker,
        ],
        latency_target_ms=200,
        placement="""
            Everything runs in the platform's data centres, replicated per region. The
            {embedding_index_compressed} PQ index and the fresh index sit in RAM on
            {retrieval_hosts.replicas} CPU retrieval hosts, which also run the user tower; the
            ranker runs on inference GPUs, {multi_task_ranker.replicas} at peak. Large
            id-embedding tables ({embedding_service.size}) live in a sharded in-memory
            embedding service. Nothing is scored on the device; the client only caches the
            next page.
            """,
        compression="**IVF-PQ** stores each vector in 32 bytes, 16 times smaller than "
                    "float32; the top 2,000 hits are re-scored with full vectors from SSD "
                    "before 1,000 are returned. The **pre-ranker is distilled** from the "
                    "heavy ranker's value score. Dense layers serve in FP16 and embedding "
                    "tables in row-wise int8, quartering memory without measurable AUC "
                    "loss.",
        rollout="A user tower is valid only against video vectors from the same run, so "
                "model and index ship as one versioned pair, fresh index included. **Shadow** on mirrored "
                "traffic for a day, then a **1% canary** with automatic rollback on "
                "errors, latency or click-through, then the A/B test and a ramp to 10%, "
                "50% and 100%. Rollback flips the registry pointer to the previous pair, "
                "kept warm for a week.",
        notes="The request is as slow as its slowest candidate source, so each source has "
              "a time-out, and the median path of {latency_total} leaves the rest of the "
              "{latency_target} target to the tail. Short of GPUs, send fewer candidates to the heavy "
              "ranker (300 instead of 500) before shrinking the model.",
    ),
    monitoring=Monitoring(
        operational=[
            "Latency and errors per step and per candidate source, with time-out rates.",
            "Ranker GPU utilisation and batch size; ANN host memory headroom.",
            "Kafka consumer lag of the label join and counters.",
            "Index freshness (upload to retrievable) and fallback rate.",
        ],
        ml_signals=[
            "Calibration per head by country, device and duration bucket, hourly.",
            "Drift (population stability index) and null rates of the top features.",
            "Training/serving skew: logged versus offline-recomputed features on a sample.",
            "Output health: source mix, fresh-upload share, coverage and creator Gini.",
        ],
        alerts=[
            "Page when p99 exceeds 200 ms for 5 minutes or fallback exceeds 2%.",
            "Page when a head's calibration leaves 0.9 to 1.1 for an hour in a big "
            "country.",
            "Page when upload-to-retrievable exceeds 30 minutes.",
            "Ticket when a top feature's drift index exceeds 0.2 or click-through falls "
            "5% below the same hour last week.",
        ],
        retraining="Daily warm-start of ranker and pre-ranker, weekly full retrains and "
                   "two-tower refresh with a full re-encode, daily index rebuild from the "
                   "stored vectors; early retraining on calibration "
                   "or drift alerts and ahead of major events. Promotion requires matching "
                   "production on AUC, calibration and key slices (new users, small "
                   "countries, short videos).",
        failure_modes={
            "Clickbait gaming":
                "Negative and survey heads, a short-watch penalty and title integrity "
                "classifiers keep misleading videos from winning.",
            "Filter bubble":
                "Over weeks the system narrows a user's topics; diversity rules and the "
                "exploration slice push back, and a topic-breadth metric in the long-term "
                "holdout shows whether they are enough.",
            "Cold-start user":
                "With fewer than five watches, the user tower leans on locale, device and "
                "onboarding topics, and the exploration share rises until history builds.",
            "Tower and index out of sync":
                "Vectors from different training runs live in different spaces, so "
                "retrieval degrades silently; the server refuses to pair a user tower with "
                "an index from another version.",
            "Ranker outage":
                "Serve pre-ranker scores, then a nightly per-user list, then regional "
                "popular videos.",
            "Harmful video goes viral":
                "Policy filters run per request and removals reach Bloom filters within a "
                "minute.",
            "Bot-inflated counters":
                "Engagement counters read only bot-filtered events, and sudden spikes on a "
                "video coming from few accounts are capped before they reach features.",
        },
    ),
)


@case.diagram("System architecture")
def architecture():
    user = User("Viewer")
    with stage("serving", "Online serving"):
        edge = gateway()
        tower = user_tower()
        with stage("serving", "Candidate sources"):
            main = ann_index()
            fresh = fresh_index()
            neighbours = cowatch()
            subs = subscriptions()
            trend = trending()
            explore = exploration()
        merge = merge_filter()
        pre = pre_ranker()
        table = embeddings()
        heavy = ranker()
        rerank = reranker()
        upload_tower = video_tower()
    with stage("data", "Data"):
        events = Kafka("Event stream")
        join = label_join()
        logs = lake()
        pairs = cowatch_build()
        users = user_features()
        videos = video_features()
    with stage("model", "Training and indexing"):
        train = ranker_training()
        full = full_retrain()
        towers = two_tower_training()
        encode = reencode()
        build = index_build()
        registry = ModelRegistry("Model registry")
    with stage("monitoring", "Monitoring"):
        metrics = Prometheus("Metrics")
        dashboards = Grafana("Dashboards")

    user >> edge >> users >> tower
    tower >> [main, fresh]
    [main, fresh, neighbours, subs, trend, explore] >> merge
    merge >> pre >> heavy >> rerank
    [videos, table] >> Edge(label="hydrate", style="dashed") >> heavy
    rerank >> Edge(label="30 videos") >> user
    user >> Edge(label="impressions, watches", constraint="false") >> events
    events >> join >> [logs, users, videos]
    logs >> [train, full, towers] >> registry
    logs >> pairs >> Edge(label="daily") >> neighbours
    registry >> Edge(label="models", constraint="false") >> [heavy, pre, tower]
    registry >> encode >> build >> Edge(label="daily", constraint="false") >> main
    upload_tower >> Edge(label="uploads") >> fresh
    rerank >> metrics >> dashboards


@case.diagram("Recommendation funnel", stage="serving", direction="LR")
def funnel():
    with stage("serving", "Candidate sources"):
        main = ann_index()
        fresh = fresh_index()
        neighbours = cowatch()
        subs = subscriptions()
        trend = trending()
        explore = exploration()
    with stage("serving", "Ranking"):
        merge = merge_filter()
        pre = pre_ranker()
        heavy = ranker()
        rerank = reranker()
    with stage("data", "Features"):
        videos = video_features()
        table = embeddings()
    page = Client("Homepage (30)")
    for source, count in ((main, "1,000 with fresh"), (fresh, ""), (neighbours, "300"),
                          (subs, "200"), (trend, "100"), (explore, "100")):
        source >> Edge(label=count) >> merge
    merge >> Edge(label="~1,500") >> pre >> Edge(label="500") >> heavy
    heavy >> Edge(label="500 scored") >> rerank >> page
    [videos, table] >> Edge(style="dashed") >> heavy


@case.diagram("Multi-task ranker", stage="model", direction="TB")
def ranker_model():
    with stage("data", "Inputs per candidate"):
        history = FeatureStore("Watch history")
        video_feats = FeatureStore("Video and creator")
        user_feats = FeatureStore("User and context")
    with stage("model", "Multi-task ranker"):
        embed = NeuralNetwork("Embeddings and history attention")
        cross = NeuralNetwork("DCN-v2 cross layers")
        experts = NeuralNetwork("Gated experts (MMoE)")
        click = NeuralNetwork("Click head")
        watch = NeuralNetwork("Watch-time head")
        positive = NeuralNetwork("Like/share head")
        negative = NeuralNetwork("Dislike head")
        survey = NeuralNetwork("Satisfaction head")
        position = NeuralNetwork("Position tower (training only)")
    with stage("serving", "Re-ranking"):
        value = reranker()
    for source in (history, video_feats, user_feats):
        source >> embed
    embed >> cross
    cross >> experts
    position >> Edge(style="dashed") >> click
    for head in (click, watch, positive, negative, survey):
        experts >> head >> value
