"""Video search: rank videos on a large video platform for a free-text query."""
from diagrams import Edge
from diagrams.aws.ml import Transcribe
from diagrams.aws.storage import S3
from diagrams.elastic.elasticsearch import Elasticsearch
from diagrams.onprem.analytics import Flink, Spark
from diagrams.onprem.client import User
from diagrams.onprem.compute import Server
from diagrams.onprem.inmemory import Redis
from diagrams.onprem.monitoring import Grafana, Prometheus
from diagrams.onprem.network import Nginx
from diagrams.onprem.queue import Kafka
from diagrams.programming.flowchart import Document, MultipleDocuments, StoredData

from mlsd import (Candidate, CaseStudy, Component, DataPreparation, Evaluation, Feature,
                  Framing, Metric, ModelDevelopment, Monitoring, Pipeline, Requirements, Scale,
                  Serving, parallel, stage)
from mlsd.nodes import (EmbeddingService, FeatureStore, LabelingQueue, ModelRegistry,
                        ModelServer, NeuralNetwork, VectorIndex)

# Declared once: drawn in the diagrams, sized in the capacity table, timed on the latency path.
# About 25% of queries are answered by the result cache, so every step after it is called for
# 0.75 of the queries; retrieval fans out to every shard of its index.
CACHE_MISS = 0.75

# Request path (serving).
gateway = Component("Search gateway", Nginx, stage="serving", latency_ms=4, in_flight=256,
                    note="Auth, rate limits and the result-cache check.")
result_cache = Component("Result cache", Redis, stage="serving", latency_ms=2, in_flight=64,
                         items=10e6, bytes_per_item=2000,
                         note="Result pages of the 10 M most frequent non-personalised queries.")
query_understanding = Component(
    "Query understanding", Server, stage="serving", latency_ms=12, calls=CACHE_MISS,
    in_flight=8, host="Query hosts",
    note="Spelling, language, intent and sensitive-topic models on CPU.")
query_tower = Component(
    "Query tower", EmbeddingService, stage="serving", latency_ms=5, calls=CACHE_MISS,
    in_flight=8, host="Query hosts",
    note="Distilled 4-layer INT8 encoder on the same CPU hosts; head queries read cached "
         "vectors.")
lexical_hot = Component(
    "Lexical hot tier", Elasticsearch, stage="serving", latency_ms=35, calls=CACHE_MISS * 16,
    in_flight=32, items=400e6, bytes_per_item=4000,
    note="BM25 over metadata and transcripts of 400 M popular or recent videos, 16 shards.")
lexical_full = Component(
    "Lexical full tier", Elasticsearch, stage="serving", latency_ms=60,
    calls=CACHE_MISS * 0.1 * 64, in_flight=32, items=3e9, bytes_per_item=4000,
    items_per_day=4e6,
    note="Every video in 64 shards; queried only for the one query in ten the hot tier "
         "cannot answer.")
ann_index = Component(
    "Video ANN index", VectorIndex, stage="serving", latency_ms=25, calls=CACHE_MISS * 4,
    in_flight=16, items=3e9, bytes_per_item=64, items_per_day=4e6,
    note="IVF-PQ over 64-byte codes in four shards.")
candidate_merge = Component(
    "Candidate merge", Server, stage="serving", latency_ms=5, calls=CACHE_MISS, in_flight=16,
    host="Ranking hosts", hardware="GPU",
    note="Dedupes ~1,000 candidates; adds BM25 scores to ANN-only ones and cosine to "
         "BM25-only ones.")
online_features = Component(
    "Online feature store", FeatureStore, stage="serving", latency_ms=20, calls=CACHE_MISS,
    in_flight=32, items=3e9, bytes_per_item=500,
    note="Engagement, popularity and creator features per video, refreshed every minute.")
ranker = Component(
    "Multi-task ranker", ModelServer, stage="serving", latency_ms=30, calls=CACHE_MISS,
    in_flight=16, host="Ranking hosts", hardware="GPU",
    note="FP16; scores the ~1,000 candidates of a query in one batch.")
policy_rerank = Component(
    "Policy re-rank", Server, stage="serving", latency_ms=6, calls=CACHE_MISS, in_flight=16,
    host="Ranking hosts", hardware="GPU",
    note="Relevance floor, two videos per channel, authority and freshness boosts.")

# Upload processing and logs (data): 500 hours of video a minute is 720 k hours a day.
video_indexer = Component(
    "Video indexer", Flink, stage="data", items_per_day=4e6, per_second=20,
    note="Indexes metadata within minutes of upload, then transcripts and vectors.")
speech_recognition = Component(
    "Speech recognition", Transcribe, stage="data", hardware="GPU", items_per_day=1.55e9,
    per_second=400,
    note="Seconds of audio: 720 k hours uploaded a day, about 60% with speech, batched at "
         "400x real time per GPU.")
frame_encoder = Component(
    "Frame and OCR encoders", EmbeddingService, stage="data", hardware="GPU",
    items_per_day=520e6, per_second=1000,
    note="Keyframes, one per five seconds (about 130 a video): frozen 512-d image encoder, "
         "OCR where text is detected.")
audio_encoder = Component(
    "Audio encoder", EmbeddingService, stage="data", hardware="GPU", items_per_day=2.6e9,
    per_second=20000, note="One-second windows of every upload, 128-d each.")
video_tower = Component(
    "Video tower", EmbeddingService, stage="data", hardware="GPU", items_per_day=4e6,
    per_second=3000,
    note="Trainable layers over the stored frame, audio and text features of each new "
         "upload; the monthly pass over the whole catalogue is the re-embedding below.")
log_join = Component(
    "Log join", Spark, stage="data", items_per_day=32e9, per_second=50000,
    note="Hourly: 20 impressions per query joined with clicks and watches.")
engagement_stream = Component(
    "Engagement aggregator", Flink, stage="data", items_per_day=35e9, per_second=50000,
    note="Streaming: 32 B impressions plus about 3 B clicks and watch events a day folded "
         "into per-video and query-video counters, written to the online store every minute.")
training_sets = Component(
    "Training set builder", Spark, stage="data", items_per_day=4.2e9, per_second=50000,
    note="Daily ranker rows (every clicked impression, about 1 B, and a tenth of the 31 B "
         "skipped ones) plus the day's share of two-tower pairs; weekly hard negatives ride "
         "on the same run. Items are rows, per CPU.")
catalogue_reembedding = Component(
    "Catalogue re-embedding", EmbeddingService, stage="data", hardware="GPU",
    items_per_day=3e9 / 30, per_second=3000,
    note="Monthly: all 3 B videos through a new video tower's trainable layers, from the "
         "stored features; shown as a daily average.")
index_rebuild = Component(
    "ANN index rebuild", Spark, stage="data", items_per_day=3e9 / 30, per_second=50000,
    note="Monthly, after re-embedding: IVF centroids, PQ codebooks and 64-byte codes for "
         "3 B vectors on CPU; shown as a daily average.")

# Training (model).
ranker_training = Component(
    "Ranker training", NeuralNetwork, stage="model", hardware="GPU", items_per_day=4.1e9,
    per_second=100e3,
    note="Daily warm start on the newest day's rows (about 4.1 B) of the 30-day window.")
relevance_grading = Component(
    "Relevance grading", NeuralNetwork, stage="model", hardware="GPU", items_per_day=300e6,
    per_second=3000,
    note="The offline cross-encoder grades a daily sample of about 300 M logged query-video "
         "pairs as targets for the ranker's relevance head.")
two_tower_training = Component(
    "Two-tower retrain", NeuralNetwork, stage="model", hardware="GPU",
    items_per_day=4e9 / 30, per_second=5000,
    note="Monthly: one pass over about 4 B (query, satisfied video) pairs from 60 days with "
         "8 k in-batch negatives; shown as a daily average.")
query_distillation = Component(
    "Query tower distillation", NeuralNetwork, stage="model", hardware="GPU",
    items_per_day=2e9 / 30, per_second=20000,
    note="Monthly, after each retrain: the 4-layer student matches the 12-layer query tower "
         "on about 2 B logged queries; shown as a daily average.")

case = CaseStudy(
    slug="video-search",
    title="Video search system",
    components=[gateway, result_cache, query_understanding, query_tower, lexical_hot,
                lexical_full, ann_index, candidate_merge, online_features, ranker, policy_rerank,
                video_indexer, speech_recognition, frame_encoder, audio_encoder, video_tower,
                log_join, engagement_stream, training_sets, catalogue_reembedding,
                index_rebuild, ranker_training, relevance_grading, two_tower_training,
                query_distillation],
    summary=(
        "Answer a text query over **3 B** videos by merging lexical and multimodal two-tower "
        "retrieval, then ranking about 1,000 candidates with a multi-task model for clicks, "
        "satisfied watches and relevance, within 250 ms at p95."),
    prompt=(
        "Design search for a large video-sharing platform. Someone searches *descale espresso "
        "machine without vinegar* and should get the few videos that answer it, first. The platform "
        "hosts billions of videos in dozens of languages, and hundreds of hours of video "
        "arrive every minute."),
    requirements=Requirements(
        objective=(
            "Help viewers find the video they want quickly, so searches become satisfying "
            "watch sessions and people keep searching here. The business tracks watch time "
            "that starts from search and the share of searches ending in a *satisfied* "
            "watch."),
        questions={
            "What does a query look like?": (
                "One to a dozen words in about 80 languages, often misspelled or mixed. "
                "Voice arrives as text; image queries are out of scope."),
            "What do we search over?": (
                "Title, description, tags and channel, but also speech (via recognition), "
                "on-screen text and frames. Only public, policy-compliant videos."),
            "Are results personalised?": (
                "Lightly: relevance first, with language, country and watch history breaking "
                "ties. Signed-out and incognito users get none."),
            "How fresh must results be?": (
                "Findable by title within 10 minutes of upload and by speech within hours; "
                "news queries need minutes."),
            "Is there labelled data?": (
                "Years of search logs with clicks and watch time, and raters who grade about "
                "50 k query-video pairs a week."),
        },
        functional=[
            "Return 20 ranked videos per page for a text query, with date, duration and "
            "type filters.",
            "Correct spelling, detect language and expand queries before retrieval.",
            "Match what is said and shown in a video, not only its metadata.",
            "Index uploads within minutes; remove takedowns within a minute.",
            "Apply safe search and raise authoritative sources on sensitive topics.",
            "Log queries, impressions, clicks and watches with model versions.",
        ],
        non_functional={
            "scalability": (
                "3 B videos plus about 4 M a day, in a lexical and an embedding index that "
                "both shard horizontally."),
            "latency": "Server-side p95 under 250 ms, p99 under {latency_target}.",
            "throughput": (
                "About {average_qps} on average and {peak_qps} at peak; a result cache "
                "answers about a quarter of queries, mostly head ones."),
            "privacy": (
                "Search history is sensitive (health, politics). It sits under a "
                "pseudonymous id, honours deletion and pause, and never personalises for "
                "children or incognito sessions."),
            "cost": (
                "The largest fleet is the lexical index: every query that misses the cache "
                "fans out to all 16 hot-tier shards, {lexical_hot_tier.replicas} at peak, plus "
                "{lexical_full_tier.replicas} for the full tier. Next come the ANN index "
                "({video_ann_index.replicas}), the GPU ranking fleet "
                "({ranking_hosts.replicas}) and GPU work at upload, led by speech recognition "
                "({speech_recognition.hours} a day, {speech_recognition.machines} kept busy). "
                "Caching, index tiering and distilled models contain them."),
        },
        scale=Scale(daily_active_users=800e6, requests_per_user=2, peak_to_average=2.5,
                    items=3e9, embedding_dim=256, compressed_bytes_per_item=64,
                    log_bytes_per_request=3000, new_items_per_day=4e6,
                    bytes_per_new_item=700e3),
        notes=(
            "New content counts only what search adds per video (about 700 kB of keyframes, "
            "transcript and embeddings), not the video files. Logs are 3 kB per query "
            "because they carry the 20 impressions' dense ranking features, quantised to "
            "about 150 bytes each, so training sees exactly what serving saw. Every fleet "
            "after the result cache is sized for the three queries in four that miss it, "
            "and each index for its fan-out to every shard. Hundreds of hours of video a "
            "minute (taken as 500, so 720 k hours a day, about 11 minutes a video) is what "
            "sizes the upload GPUs: speech recognition needs {speech_recognition.hours} a "
            "day, the frame encoders {frame_and_ocr_encoders.hours}."),
    ),
    framing=Framing(
        ml_objective=(
            "Predict, for a query and a video, the probability of a *satisfied watch*: a "
            "click followed by at least 30 seconds or 40% of the video without a quick "
            "return. Rank by a blend of that and a predicted relevance grade. The proxy is "
            "plentiful and tied to the goal, but diverges for clickbait, for long videos "
            "(hence the fractional threshold), for quick-answer queries, and wherever "
            "popularity beats relevance, which is why a rater-trained relevance head sits "
            "beside the engagement heads."),
        input=(
            "Query string, language, country, device, safe-search setting, filters and, when "
            "allowed, a summary of recent watches."),
        output=(
            "Ranked video ids with scores, 20 per page; the page layer adds thumbnails, "
            "titles and transcript snippets that show why each video matched."),
        category=(
            "Learning to rank in a multi-stage funnel: lexical plus cross-modal retrieval, "
            "then multi-task pointwise ranking with calibrated heads."),
        alternatives={
            "Lexical search only": (
                "The baseline; fails on vocabulary mismatch, uninformative titles and "
                "across languages."),
            "One cross-encoder over every video": (
                "Most accurate, but 3 B passes per query is impossible; it serves as a "
                "teacher instead."),
            "Regress watch time": (
                "Rewards long videos regardless of whether they answered the query."),
            "Generative retrieval (a model emits video ids)": (
                "Hard to keep current with 4 M new videos a day, and unproven at billions of "
                "documents."),
        },
        notes=(
            "Long-term retention is the real goal but too delayed to attribute to one "
            "ranking; it is an online guardrail, not a training label."),
    ),
    data=DataPreparation(
        sources={
            "Video metadata": (
                "Title, description, tags, channel, language, duration, upload time in a "
                "wide-column store; changes stream through Kafka."),
            "Derived content": (
                "Transcripts, OCR text, keyframes and frame, audio and text embeddings in S3, "
                "keyed by video and extractor version."),
            "Search logs": (
                "Queries, impressions with positions and logged features, clicks, watch time "
                "and refinements; Kafka into hourly Parquet."),
            "Engagement aggregates": (
                "Views, likes, completion and query-video click stats in the feature store, "
                "online and offline."),
            "Rater judgements": (
                "Five-grade relevance (vital to spam) with rater and guideline version."),
        },
        labels=(
            "Mostly natural. A click is positive for the click head; a click with 30 s or 40% "
            "watched and no return within 10 s is positive for the satisfaction head. "
            "Skipped results above a click are negatives; those below the last click stay "
            "unlabelled. Labels close 24 hours after the query. A mild random reordering of "
            "the top five on 0.5% of traffic gives position propensities. Raters supply the "
            "evaluation set and train a relevance teacher; an LLM grades more pairs, used "
            "only in languages where it agrees with raters."),
        features=[
            Feature("Query text",
                    "Normalised WordPiece tokens (120 k multilingual vocabulary, max 32) into "
                    "the query tower, giving a 256-d unit vector."),
            Feature("Video text",
                    "Title, tags, description and first 512 transcript tokens with field "
                    "markers, into the video tower."),
            Feature("Visual and audio content",
                    "Frozen 512-d keyframe embeddings, attention-pooled; 128-d audio window "
                    "embeddings, mean-pooled."),
            Feature("Lexical match",
                    "Per-field BM25, query-term coverage and exact-phrase flag, standardised "
                    "per query."),
            Feature("Semantic similarity", "Two-tower cosine, in [-1, 1]."),
            Feature("Query-video engagement",
                    "28-day click and satisfied rates for this query and video, "
                    "Beta-smoothed towards the video's overall rates."),
            Feature("Popularity and quality",
                    "log views (7 days), like ratio, watch fraction; 20 quantile buckets, "
                    "8-d embeddings."),
            Feature("Freshness and newsiness",
                    "log(1 + hours since upload) and a 0-1 query volume-spike score."),
            Feature("Language match",
                    "Query and video language embeddings plus a same-language flag."),
            Feature("Creator and user",
                    "log subscribers, authority score, 32-d channel embedding, subscribed "
                    "flag; mean embedding of the last 50 watches (ranker only)."),
        ],
        pipeline=[
            "Upload events index metadata within minutes, then queue speech recognition, "
            "OCR and frame sampling on GPUs.",
            "The video tower embeds finished videos; the job upserts the ANN delta and adds "
            "the transcript to the lexical index.",
            "Streaming aggregators refresh engagement stats in the online store every minute.",
            "Hourly Spark joins impressions with clicks and watches, filters bots and writes "
            "rows with serving-time features.",
            "Daily and weekly jobs build ranker sets, two-tower pairs and hard negatives; "
            "each dataset is validated and versioned.",
        ],
        privacy=(
            "Identifiers such as emails and phone numbers are scrubbed from queries; ids "
            "rotate every 90 days; queries from fewer than 20 users never enter shared "
            "vocabularies. Deleted history leaves online features in 24 hours and training "
            "data at the next snapshot. Logs stay in-region where law requires."),
        bias=(
            "Engagement favours what already ranks, so new creators struggle. Speech "
            "recognition is weaker for low-resource languages and accents, making those "
            "videos harder to find; the ranker sees transcript confidence, pairs are "
            "re-sampled per language, and metrics are sliced by language."),
        notes=(
            "Features are logged at serving time rather than recomputed: a popularity count "
            "rebuilt a day later already contains the clicks it should predict."),
    ),
    model=ModelDevelopment(
        baseline=(
            "BM25 over title, description and tags, ordered by a hand-tuned mix of BM25, log "
            "views and freshness. Strong on navigational queries, it ships at once and "
            "seeds the logs."),
        candidates=[
            Candidate(
                "GBDT ranker (LambdaMART)",
                "Trees over lexical, engagement and freshness features on BM25 results.",
                pros=["Fast on CPU, easy to debug."],
                cons=["No semantics beyond hand-made features.",
                      "What BM25 misses is never ranked."]),
            Candidate(
                "Multimodal two-tower retrieval",
                "Query tower and video tower (text, frames, audio) trained contrastively, "
                "served from an ANN index.",
                pros=["Finds videos by meaning and content, across languages.",
                      "Only the query is embedded at search time."],
                cons=["Weak on exact names and numbers.",
                      "A new video tower means re-embedding 3 B videos."]),
            Candidate(
                "Multi-task deep ranker",
                "DCN-v2 cross layers and mixture-of-experts with a gate and tower per task: "
                "click, satisfied watch, relevance.",
                pros=["Learns interactions; balances objectives; uses embeddings directly."],
                cons=["Heads need calibration, and the blend weights need tuning online.",
                      "Click and satisfaction can conflict."]),
        ],
        choice=(
            "A hybrid funnel: BM25 (500) and two-tower ANN (500) retrieval, then the "
            "multi-task ranker over the merged ~1,000. A cross-encoder trained on rater and "
            "LLM grades never serves; it grades logged pairs offline to train the ranker's "
            "relevance head. Final score: `log P(click) + a·log P(satisfied | click) + "
            "b·relevance`, with `a`, `b` tuned online and a relevance floor that no "
            "engagement can override."),
        loss=(
            "Two-tower: InfoNCE over 8 k in-batch negatives at temperature 0.05, with "
            "log-frequency correction and two BM25-mined hard negatives per query. Ranker: "
            "weighted sum of cross-entropy for click (examined impressions), satisfied watch "
            "(clicked ones) and the five relevance grades (graded pairs). A shallow position "
            "tower adds to the click logit in training and is dropped at serving."),
        training_data=(
            "The ranker keeps all clicked impressions and 10% of skipped ones (weight 10) "
            "over 30 days. The two-tower model uses about 4 B (query, satisfied video) pairs "
            "from 60 days, capped at 1,000 per query so *music* does not drown the tail, "
            "re-sampled per language. Hard negatives are BM25 results users consistently "
            "skip. New videos get synthetic pairs (LLM-written queries from transcripts, "
            "titles as queries). Splits are by time (train to day T, validate T+1, test "
            "T+2), and rated evaluation queries are excluded from training."),
        notes=(
            "Keep frame and audio encoders frozen and their outputs stored, so a new video "
            "tower re-runs only its trainable layers over stored features, a monthly pass "
            "that averages {catalogue_re_embedding.hours} a day, instead of decoding 3 B "
            "videos again."),
    ),
    evaluation=Evaluation(
        offline=[
            Metric("Recall@1000 of retrieval",
                   "Satisfied or highly rated videos present in the merged candidates, per "
                   "source; the ranker cannot recover what retrieval misses."),
            Metric("nDCG@10 on rated queries",
                   "20 k queries stratified by frequency, language and intent; the first "
                   "screen shows about ten results."),
            Metric("Sliced nDCG for tail and non-English queries",
                   "Averages are dominated by English head queries; the tail is where hybrid "
                   "retrieval has to prove itself."),
            Metric("Normalised cross-entropy and calibration ratio per head",
                   "The blend multiplies probabilities, so each head must be calibrated, not "
                   "only rank well; cross-entropy mixes both, so the ratio of predicted to "
                   "observed positives is tracked beside it."),
        ],
        online=[
            Metric("Satisfied-search rate",
                   "Queries followed by a satisfied watch: the primary metric."),
            Metric("Reformulation and abandonment",
                   "Queries rewritten within a minute or left without a click: failure."),
            Metric("Search watch time per searcher",
                   "Ties search to the business; read with the satisfied rate so long-video "
                   "bias cannot win alone."),
        ],
        gap=(
            "Logged labels only cover what the old system showed, so a semantic retriever "
            "surfacing unseen good videos gets no credit. Thumbnails drive clicks but are "
            "mostly absent offline. Watch time after the click depends on autoplay, which "
            "another team changes. News queries need videos uploaded after the snapshot, "
            "and raters judge without the personal context the ranker uses."),
        experiments=(
            "Ranking changes are screened by team-draft interleaving, which needs far less "
            "traffic than A/B. Survivors run user-randomised A/B tests for two weeks: at a "
            "55% satisfied rate, a 0.3% relative change needs about 1.5 M queries per arm "
            "before the delta-method correction, which 1% of traffic gives in a day, so "
            "seasonality sets the duration. The randomised top five support "
            "inverse-propensity estimates of new rankers before launch. Guardrails: latency, "
            "zero results, policy violations, creator diversity, and a quarter-long 1% "
            "holdback."),
        notes=(
            "Interleaving a retrieval change would mean running both retrieval stacks and "
            "ranking twice per query, so retrieval changes go straight to A/B with a metric "
            "for satisfied clicks found only by the new source."),
    ),
    serving=Serving(
        pipelines=[
            Pipeline("Online search", "online", [
                gateway, result_cache,
                "About 25% of queries hit the cache (non-personalised only); the rest go on.",
                query_understanding, query_tower, lexical_hot, ann_index,
                "BM25 and IVF-PQ retrieval run in parallel, 500 candidates each, with policy "
                "filters; the full lexical tier only when the hot tier falls short.",
                candidate_merge, online_features, ranker, policy_rerank,
                "Titles, thumbnails and transcript snippets are added; top 20 returned and "
                "logged.",
            ]),
            Pipeline("Video indexing", "streaming", [
                video_indexer, speech_recognition, frame_encoder, audio_encoder, video_tower,
                "Upsert the vector into the ANN index and the transcript into both lexical "
                "tiers.",
                "Apply takedowns to both indexes and the cache within a minute.",
            ]),
            Pipeline("Training", "batch", [
                log_join, training_sets, relevance_grading,
                "Daily ranker warm-start, validated on rated set and calibration.",
                ranker_training,
                "Monthly two-tower retrain, catalogue re-embedding and index rebuild.",
                two_tower_training, query_distillation, catalogue_reembedding, index_rebuild,
            ]),
        ],
        latency_path=[
            gateway, result_cache, query_understanding, query_tower,
            parallel(lexical_hot, ann_index),
            candidate_merge, online_features, ranker, policy_rerank,
            ("Metadata and snippets", 20),
            ("Response", 10),
        ],
        latency_target_ms=400,
        placement=(
            "Cloud, multi-region. The lexical index has a hot tier (400 M popular or recent "
            "videos, about 90% of answers, {lexical_hot_tier.size}) and a full tier "
            "({lexical_full_tier.size}) queried only when the hot tier falls short; those "
            "queries wait for it on top of the {latency_total} median path, one reason the "
            "path stays well below the {latency_target} p99 target. The ANN index is "
            "{video_ann_index.size} of PQ codes in four shards, served by "
            "{video_ann_index.replicas} at peak. Query understanding and the query tower "
            "share one CPU fleet ({query_hosts.replicas}); candidate merge, ranker and policy "
            "re-rank share one GPU fleet ({ranking_hosts.replicas}); upload processing runs on a separate "
            "preemptible GPU pool."),
        compression=(
            "The query tower is distilled from 12 to 4 layers and quantised to INT8 (under "
            "5 ms on CPU); the 10 M most frequent queries have precomputed vectors. Video "
            "vectors are product-quantised from 1 kB to 64 bytes. The ranker runs in FP16 "
            "with hashed, pruned id-embedding tables."),
        rollout=(
            "Rankers go through shadow scoring, a 1% single-region canary, then a user-level "
            "A/B ramp. A two-tower change builds a new index beside the old one; a router "
            "flag switches index and query tower as a pair, and the old pair stays warm two "
            "weeks for one-switch rollback."),
        notes=(
            "Under overload the system degrades in steps: skip the full lexical tier, halve "
            "the candidates, fall back to a CPU GBDT ranker, then serve cached and BM25-only "
            "results."),
    ),
    monitoring=Monitoring(
        operational=[
            "Latency per stage at p95 and p99, and the slowest shard per query.",
            "Cache hit rate and share of queries reaching the full lexical tier.",
            "Upload-to-searchable lag for metadata and transcripts; speech backlog.",
            "Error and zero-result rates per language and client.",
        ],
        ml_signals=[
            "Query drift: share of unseen queries and language mix against past weeks.",
            "Per-head calibration by position, language and query type.",
            "Feature null rates and streaming-aggregate freshness.",
            "Share of results from each retrieval source.",
            "Weekly nDCG@10 on freshly rated live queries.",
        ],
        alerts=[
            "Page: p95 above 300 ms for 10 minutes, or zero results doubling.",
            "Page: a takedown searchable after one minute.",
            "Ticket: metadata lag over 15 minutes, calibration error over 10% for a day, or "
            "satisfied-search rate 2% below its seasonal baseline.",
        ],
        retraining=(
            "The ranker warm-starts daily, since trends and new videos move fast, and is "
            "promoted only if it beats the live model offline. The two-tower model retrains "
            "monthly, or sooner if the semantic source's share or rated nDCG falls; the "
            "query tower can retrain more often if kept compatible with current video "
            "vectors."),
        failure_modes={
            "Breaking news, nothing indexed yet": (
                "Fast-path metadata indexing, freshness boosts for newsy queries, and "
                "authoritative sources while content is thin."),
            "Keyword stuffing and clickbait": (
                "Spam classifier on metadata; satisfaction labels punish quick returns."),
            "Lexical cluster down": (
                "Serve from the hot tier, or from ANN and cache alone, flagged in metrics."),
            "Feature store outage": (
                "Defaults the ranker was trained to tolerate, or the GBDT fallback."),
            "Query tower and index out of sync": (
                "Versioned pairs switched together; a drop in semantic clicks triggers "
                "rollback."),
            "Misinformation on sensitive queries": (
                "Sensitive-topic classifier, authority boosts and stricter relevance floors."),
        },
        notes=(
            "The quiet failure is a feedback loop: training on clicks on what was shown "
            "narrows results over time. Randomised reordering, fresh-video exploration and "
            "the rater-based nDCG trend expose it."),
    ),
)


@case.diagram("System architecture")
def architecture():
    user = User("Viewer")
    with stage("serving", "Search serving"):
        gate = gateway()
        cache = result_cache()
        understand = query_understanding()
        qtower = query_tower()
        hot = lexical_hot()
        full = lexical_full()
        ann = ann_index()
        merge = candidate_merge()
        features = online_features()
        rank = ranker()
        rerank = policy_rerank()
    with stage("data", "Uploads, indexing and logs"):
        events = Kafka("Uploads and search logs")
        indexer = video_indexer()
        asr = speech_recognition()
        frames = frame_encoder()
        audio = audio_encoder()
        vtower = video_tower()
        lake = S3("Data lake")
        logjoin = log_join()
        engagement = engagement_stream()
        sets = training_sets()
        reembed = catalogue_reembedding()
        rebuild = index_rebuild()
    with stage("model", "Training"):
        grade = relevance_grading()
        rtrain = ranker_training()
        ttrain = two_tower_training()
        distil = query_distillation()
        registry = ModelRegistry("Model registry")
    with stage("monitoring", "Monitoring"):
        metrics = Prometheus("Metrics")
        raters = LabelingQueue("Relevance raters")
        dash = Grafana("Dashboards")

    user >> gate >> understand >> qtower >> ann >> merge
    gate >> Edge(style="dashed") >> cache
    understand >> hot >> merge
    hot >> Edge(style="dashed", label="falls short") >> full >> merge
    merge >> rank >> rerank
    features >> Edge(style="dashed") >> rank
    events >> indexer >> [hot, full]
    events >> [asr, frames, audio]
    asr >> Edge(label="transcripts") >> indexer
    [asr, frames, audio] >> vtower
    vtower >> Edge(label="upsert") >> ann
    events >> lake >> logjoin >> sets
    events >> engagement >> Edge(label="every minute") >> features
    sets >> grade >> Edge(label="relevance targets") >> rtrain
    sets >> rtrain >> registry
    sets >> ttrain >> registry
    ttrain >> Edge(label="teacher") >> distil >> registry
    ttrain >> Edge(label="new video tower") >> reembed >> rebuild
    rebuild >> Edge(label="swap index", constraint="false") >> ann
    registry >> Edge(label="deploy", constraint="false") >> rank
    registry >> Edge(label="deploy as a pair", constraint="false") >> [qtower, vtower]
    rerank >> Edge(style="dashed", label="impressions", constraint="false") >> events
    rerank >> metrics >> dash
    raters >> dash


@case.diagram("Multimodal two-tower model", stage="model", direction="TB")
def two_tower():
    with stage("data", "Query input"):
        qtext = Document("Query text")
    with stage("data", "Video content"):
        vtext = MultipleDocuments("Title, tags, transcript")
        frames = StoredData("Keyframes")
        audio = StoredData("Audio windows")
    with stage("model", "Query tower"):
        qenc = NeuralNetwork("Multilingual encoder")
        qvec = EmbeddingService("256-d query vector")
    with stage("model", "Video tower"):
        tenc = NeuralNetwork("Text encoder")
        fenc = NeuralNetwork("Frame encoder, attention pool")
        aenc = NeuralNetwork("Audio encoder")
        fuse = NeuralNetwork("Fusion MLP")
        vvec = EmbeddingService("256-d video vector")
    with stage("model", "Objective"):
        loss = NeuralNetwork("InfoNCE, in-batch negatives")

    qtext >> qenc >> Edge(minlen="2") >> qvec
    vtext >> tenc >> fuse
    frames >> fenc >> fuse
    audio >> aenc >> fuse
    fuse >> vvec
    qvec >> Edge(label="cosine") >> loss
    vvec >> loss


@case.diagram("Search funnel", stage="serving")
def funnel():
    with stage("serving", "One query, 250 ms at p95"):
        understand = query_understanding()
        qtower = query_tower()
        bm25 = lexical_hot()
        ann = ann_index()
        merge = candidate_merge()
        features = online_features()
        rank = ranker()
        rerank = policy_rerank()
    understand >> Edge(label="BM25 query") >> bm25 >> Edge(label="500") >> merge
    understand >> qtower >> Edge(label="256-d vector") >> ann >> Edge(label="500") >> merge
    merge >> Edge(label="~1,000") >> rank >> Edge(label="scored ~1,000") >> rerank
    features >> Edge(style="dashed", label="features") >> rank
    rerank >> Edge(label="top 20") >> Server("Results page")
