"""Ad click prediction: estimate, for every eligible ad, the chance a feed viewer clicks it."""
from diagrams import Edge
from diagrams.aws.storage import S3
from diagrams.generic.network import Firewall
from diagrams.onprem.analytics import Flink, Spark
from diagrams.onprem.client import Client, User
from diagrams.onprem.database import Cassandra
from diagrams.onprem.monitoring import Grafana, Prometheus
from diagrams.onprem.queue import Kafka
from diagrams.programming.flowchart import Sort

from mlsd import (Candidate, CaseStudy, Component, DataPreparation, Evaluation, Feature, Framing,
                  Metric, ModelDevelopment, Monitoring, Pipeline, Requirements, Scale, Serving,
                  parallel, stage)
from mlsd.nodes import (EmbeddingService, FeatureStore, ModelRegistry, ModelServer,
                        NeuralNetwork, VectorIndex)

# Declared once: drawn in the diagrams, sized in the capacity table, timed on the latency path.
# Online times are medians (p50) on the component's own host.
targeting = Component(
    "Targeting filter", Firewall, stage="serving", latency_ms=8, in_flight=32,
    host="Ad servers",
    note="Targeting, budgets, pacing, frequency caps and hides cut 5 M ads to about 100 k.")
auction = Component(
    "Calibration and auction", Sort, stage="serving", latency_ms=4, in_flight=32,
    host="Ad servers",
    note="Isotonic calibration, then bid × pCTR minus the hide penalty, reserves and second prices.")
user_features = Component(
    "User features", FeatureStore, stage="data", latency_ms=5, in_flight=64,
    host="Online feature store", items=400e6, bytes_per_item=1e3,
    note="One row of profile fields, counters and recent ad interactions per daily user.")
hydration = Component(
    "Ad feature hydration", FeatureStore, stage="data", latency_ms=6, in_flight=64,
    host="Online feature store",
    note="Ad counters and user-advertiser history for the 300 ads the light ranker keeps.")
user_tower = Component(
    "User tower", EmbeddingService, stage="serving", latency_ms=3, in_flight=16,
    host="Retrieval hosts", note="The two-tower model's query side, on CPU.")
ad_index = Component(
    "Ad retrieval index", VectorIndex, stage="serving", latency_ms=5, in_flight=16,
    host="Retrieval hosts", items=5e6, bytes_per_item=64,
    note="Int8 ad vectors in memory. Only the ~100 k ads that pass targeting are eligible, "
         "2% of the catalogue, too few for a filtered HNSW walk to find reliably, so they "
         "are scored exactly (about 6 M int8 multiply-adds); about 2,000 ads per request.")
light_ranker = Component(
    "Light ranker", ModelServer, stage="serving", latency_ms=8, in_flight=16,
    host="Retrieval hosts", note="Distilled student on CPU: 2,000 ads in, 300 out.")
heavy_ranker = Component(
    "pCTR ranker", ModelServer, stage="serving", latency_ms=20, in_flight=16, hardware="GPU",
    note="Multi-task DCN-v2 scoring 300 ads per request in one fp16 batch.")
embedding_tables = Component(
    "Embedding tables", Cassandra, stage="serving", items=1e9, bytes_per_item=68,
    note="User, ad, campaign and advertiser id rows seen in the last 30 days, 64 dims in "
         "8 bits plus a per-row scale, sharded on parameter servers.")
label_join = Component(
    "Label join", Flink, stage="data", items_per_day=8.2e9, per_second=10e3,
    note="Impressions (about one viewable impression per ad request) plus clicks, hides "
         "and invalid-traffic verdicts, at 10 k events a second per core.")
training_logs = Component(
    "Training logs", S3, stage="data", items=720e9, bytes_per_item=2e3,
    note="90 days of impressions with their serving-time features.")
late_click_job = Component(
    "Late-click job", Spark, stage="data", items_per_day=8.2e9, per_second=20e3,
    note="Daily: re-reads the day's joined events, applies late clicks, keeps 10% of "
         "negatives and writes the training partitions, at 20 k rows a second per core.")
training_sets = Component(
    "Training sets", S3, stage="data", items=52e9, bytes_per_item=2e3,
    note="The down-sampled examples (about 870 M a day) kept 60 days for the weekly retrain.")
continuous_trainer = Component(
    "Continuous trainer", NeuralNetwork, stage="model", hardware="GPU",
    items_per_day=870e6, per_second=20e3,
    note="8 B impressions a day with negatives kept at 10%: about 870 M examples.")
weekly_retrain = Component(
    "Weekly retrain", NeuralNetwork, stage="model", hardware="GPU", items_per_day=7.5e9,
    per_second=20e3,
    note="60 days of examples (about 52 B) once a week, counted here per day.")
two_tower_retrain = Component(
    "Two-tower retrain", NeuralNetwork, stage="model", hardware="GPU", items_per_day=2.4e9,
    per_second=100e3,
    note="Daily, on the last 30 days of filtered clicks (about 80 M a day).")
ad_reembedding = Component(
    "Ad re-embedding", EmbeddingService, stage="model", items_per_day=5e6, per_second=2e3,
    note="Daily: the retrained ad tower re-encodes all 5 M ads and the int8 index is "
         "rewritten, on CPU.")
creative_encoder = Component(
    "Creative encoder", EmbeddingService, stage="data", hardware="GPU", items_per_day=1e6,
    per_second=200,
    note="Embeds each approved creative (image and text) for the ranker and the index.")
registry = Component("Model registry", ModelRegistry, stage="model",
                     note="Ranker snapshots every 30 minutes, with their calibrators.")

case = CaseStudy(
    slug="ad-click-prediction",
    components=[user_features, targeting, user_tower, ad_index, light_ranker, hydration,
                heavy_ranker, embedding_tables, auction, label_join, training_logs,
                late_click_job, training_sets, continuous_trainer, weekly_retrain,
                two_tower_retrain, ad_reembedding, creative_encoder, registry],
    title="Ad click prediction",
    summary=("A calibrated, continuously trained multi-task ranker predicts the click "
             "probability of every ad competing for a feed slot, so the auction can order "
             "and price ads by expected value."),
    prompt=("You work on the ads team of a large social network. Sponsored posts appear "
            "between organic posts in the home feed, and advertisers pay per click. Design "
            "the system that predicts whether a user will click an ad, so the platform can "
            "decide which ads to show and what to charge for them."),
    requirements=Requirements(
        objective=(
            "Grow long-run ad revenue without eroding the feed experience or advertiser "
            "return. Under cost-per-click pricing an impression is worth *bid × P(click)*, so "
            "a sharper, well-calibrated click estimate shows more relevant ads, sets fairer "
            "prices, and keeps out the irrelevant ads that make people hide ads and scroll less."),
        questions={
            "How are advertisers charged, and what does the auction rank by?": (
                "Cost per click in a generalised second-price auction ranked by *bid × pCTR* "
                "plus a quality term, so pCTR must be a calibrated probability, not just a "
                "good ordering."),
            "Which surface and what ad load?": (
                "The home feed on mobile and web; about one slot in eight posts is an ad. The "
                "feed team owns the load, we fill the slots."),
            "What counts as a click?": (
                "A tap that opens the landing page from a *viewable* impression (half the ad "
                "on screen for a second). Likes and comments on sponsored posts are tracked "
                "separately."),
            "Do we optimise conversions too?": (
                "Not in version one: conversion labels arrive days late and only from some "
                "advertisers. The model should allow a conversion head later."),
            "How many ads compete, and how fast do they change?": (
                "About 5 M active ads, a million new creatives a day and many short "
                "campaigns, so cold start matters."),
        },
        functional=[
            "Return a calibrated click probability for each eligible ad within the ad request's time budget.",
            "Apply targeting, budgets, pacing, frequency caps and user hides before scoring.",
            "Score brand-new ads sensibly from their first impression.",
            "Log each impression with the exact features used to score it.",
            "Also predict the chance the user hides or reports the ad, used as an auction penalty.",
        ],
        non_functional={
            "scalability": (
                "400 M daily users and 8 B ad requests a day; the id embedding tables, "
                "about a billion rows ({embedding_tables.size} in 8 bits), shard across "
                "parameter servers."),
            "latency": (
                "The ad request returns within 100 ms at p99 because the feed page waits for "
                "it; the heavy ranker is the largest step on the path."),
            "throughput": (
                "About {peak_qps} at peak; at 300 final candidates each, the heavy ranker "
                "scores roughly 70 M ads per second."),
            "privacy": (
                "No sensitive categories inferred or used; off-platform signals only with "
                "consent; pseudonymised logs that expire after 90 days."),
            "cost": (
                "Serving cost per thousand impressions must stay a small fraction of revenue "
                "per thousand, so the heavy model only sees ads that survive cheaper stages."),
        },
        scale=Scale(daily_active_users=400e6, requests_per_user=20, peak_to_average=2.5,
                    items=5e6, embedding_dim=64, bytes_per_dim=4, compressed_bytes_per_item=64,
                    log_bytes_per_request=2000, new_items_per_day=1e6,
                    bytes_per_new_item=300e3),
        notes=(
            "The estimates shape the design. The ad retrieval index is small "
            "({embedding_index_raw} raw, {embedding_index_compressed} in int8), so every "
            "retrieval replica holds all of it and product quantisation is unnecessary. The "
            "**impression log is the expensive part**: 2 kB of logged features per request "
            "is {request_logs_per_year} a year, hence 90-day retention of raw logs "
            "({training_logs.size}). The heavy ranker needs {pctr_ranker.replicas} at peak "
            "even though a light ranker first trims 2,000 ads to 300. Training is cheap by "
            "comparison: {continuous_trainer.hours} a day for continuous updates and "
            "{weekly_retrain.hours} a day for the weekly full retrain, averaged over the "
            "week."),
    ),
    framing=Framing(
        ml_objective=(
            "Predict *P(click | viewable impression, user, ad, context)* as a calibrated "
            "probability, which the auction multiplies by the bid. It is a proxy: accidental "
            "taps and curiosity clicks on bait creatives are not advertiser value, and "
            "maximising clicks alone can fill the feed with ads users dislike, so a second "
            "head predicts hides and the auction subtracts that user cost."),
        input=(
            "The viewer, device and session context, the slot's feed position, and a few "
            "hundred ads that passed targeting, budget and frequency checks."),
        output="A calibrated pCTR and pHide per ad; the auction turns them into an order and prices.",
        category="Pointwise binary classification (two tasks) with calibrated outputs, inside a multi-stage ranking funnel.",
        alternatives={
            "Pairwise or listwise learning to rank": (
                "Orders ads well but on an arbitrary scale; the auction needs probabilities "
                "to compare different bids and to set second prices."),
            "Regress revenue per impression": (
                "Mixes the bid, which we know, with the click, which we must predict, so the "
                "target is noisy and bid changes look like drift."),
            "Predict conversions only": (
                "Conversions are about a hundred times rarer, days late and only for some "
                "advertisers: a later head, not the main label."),
            "Contextual bandit over ads": (
                "Hard to reason about inside a priced auction; we keep supervised pCTR and add "
                "bounded exploration for new ads."),
        },
        notes=(
            "Why calibration matters: the winner pays just enough to beat the runner-up's "
            "*bid × pCTR*, that is *b₂·p₂ / p₁* per click. A model 10% too high for one "
            "category lets its ads win slots that better ads should have had, and raises the "
            "prices its competitors pay when they beat it, even with unchanged AUC; the "
            "over-predicted ads themselves pay less per click than they should. Calibration is "
            "therefore a launch criterion."),
    ),
    data=DataPreparation(
        sources={
            "Ad serving logs": "One record per viewable impression with the serving-time features, position and auction outcome; Kafka, landed hourly as Parquet on S3.",
            "Engagement events": "Clicks, hides, reports and landing-page dwell keyed by impression id; Kafka.",
            "Ad catalogue": "Creatives, advertiser, campaign objective, targeting and bids in a relational store, with change events on Kafka.",
            "User profile and activity": "Profile fields, follows and organic activity aggregates in the user store and offline feature store.",
        },
        labels=(
            "Natural labels: a click on a viewable impression is positive, a viewable "
            "impression without one is negative. Most clicks come within seconds, so the "
            "streaming joiner waits **15 minutes** before emitting a negative and a daily job "
            "corrects late clicks. Noise is handled explicitly: clicks flagged as invalid "
            "traffic are dropped, clicks followed by leaving the landing page within two "
            "seconds count as accidental (negative) and are not billed, so pCTR predicts "
            "the billable event, and non-viewable impressions are "
            "removed. Hides and reports label the second head and are about twenty times "
            "rarer than clicks."),
        features=[
            Feature("User id", "Hashed 64-dim learned embedding; rare ids share buckets."),
            Feature("Ad, campaign and advertiser ids", "Three 64-dim learned embeddings; the advertiser embedding lets a new ad borrow its advertiser's history."),
            Feature("Creative content", "Frozen 128-dim vector from a pretrained image-and-text encoder, meaningful from day one."),
            Feature("Ad historical CTR", "7-day CTR smoothed with a Beta prior centred on the advertiser's CTR, logit-transformed, refreshed every few minutes."),
            Feature("User-advertiser history", "Impressions, clicks and hides of this advertiser and category over 1, 7 and 30 days, log(1+x)."),
            Feature("Recent ad interactions", "Last 50 clicked or hidden ads as category and advertiser embeddings, pooled by attention against the candidate."),
            Feature("Frequency", "Times the user saw this ad and campaign today and this week, bucketed."),
            Feature("Demographics and device", "Age band, country, OS and app version as small embeddings; no sensitive attributes."),
            Feature("Context", "Hour and weekday as sine/cosine pairs, connection type one-hot, session depth log-bucketed."),
            Feature("Feed position", "Slot index embedding, fed only to a training-time bias tower."),
        ],
        pipeline=[
            "The ad server logs each impression with its serving-time feature vector, so training never recomputes features that could leak the future or drift from serving.",
            "Flink joins impressions with clicks, hides and invalid-traffic verdicts in a 15-minute window and emits labelled examples to a topic and to hourly partitions.",
            "The same job updates real-time counters (ad CTR, user-advertiser counts, frequency) in the online feature store, sharing code with offline backfills.",
            "A daily Spark job ({late_click_job.hours} a day) applies late-click corrections, down-samples negatives to 10% (unweighted, with the rate recorded for the score correction), and writes time-partitioned training sets, 60 days of which take {training_sets.size}.",
            "Each hourly partition is validated (row counts, label rate, null rates, ranges) before any trainer reads it.",
        ],
        privacy=(
            "User ids are pseudonymised in training logs with the mapping held in a separate "
            "service. Sensitive categories are neither features nor allowed inferences. Users "
            "who turn off activity-based ads get contextual-only scoring, flagged on the "
            "request. Raw logs expire after 90 days and deletions reach the feature stores."),
        bias=(
            "**Position bias**: higher slots get more attention, handled by the position "
            "tower. **Selection bias**: clicks exist only for ads the old model chose, so an "
            "exploration budget and content features give underrated ads data. **Delivery "
            "skew**: optimising clicks can deliver housing, job or credit ads unevenly "
            "across groups, so those ads are audited for delivery disparity. **Heavy users** "
            "dominate impressions, so examples per user are capped."),
    ),
    model=ModelDevelopment(
        baseline=(
            "Logistic regression trained with FTRL on hashed ids, a few hand-made crosses "
            "(age band × ad category, country × advertiser) and the smoothed CTR. Cheap and "
            "well calibrated, it is the yardstick in normalised cross-entropy and stays as "
            "the fallback scorer."),
        candidates=[
            Candidate(
                "Gradient-boosted trees feeding a linear model",
                "Trees on dense counters; each tree's leaf becomes a one-hot input to a "
                "logistic regression over sparse ids.",
                pros=["Non-linear effects of counters with little tuning.",
                      "Easy to debug with feature importances."],
                cons=["Trees cannot use high-cardinality ids or embeddings.",
                      "Batch-trained trees lag fresh campaigns by a day."]),
            Candidate(
                "Field-aware factorisation machine",
                "A latent vector per feature and field pair; the score sums pairwise dot "
                "products, learning all second-order crosses.",
                pros=["Strong on sparse ids; cheap inference and incremental training."],
                cons=["Pairwise interactions only; each feature keeps one vector per field, and "
                      "compute grows with the square of the field count."]),
            Candidate(
                "Multi-task DCN-v2 with target attention",
                "Id embeddings, content vectors and normalised dense features feed a cross "
                "network and a deep MLP in parallel; attention pools recent ad interactions "
                "against the candidate; shared layers feed click and hide heads.",
                pros=["Learns high-order crosses without hand engineering.",
                      "Content embeddings give new ads a sensible score.",
                      "The rare hide task borrows from abundant click data."],
                cons=["Needs GPU serving and sharded embedding tables.",
                      "Harder to calibrate and explain."]),
        ],
        choice=(
            "**Multi-task DCN-v2**, trained continuously. It beats the baseline by a few "
            "percent in normalised cross-entropy, which is large for ads, and it alone uses "
            "creative content. A distilled small version serves as the light ranker, and a "
            "separate two-tower model retrieves candidates."),
        loss=(
            "Binary cross-entropy per head, with the hide head weighted 0.3 so it does not "
            "dominate the shared layers. Negatives are down-sampled at *w* = 0.1, so scores "
            "are corrected with *p = p′ / (p′ + (1 − p′) / w)*, then an isotonic calibrator "
            "per ad format and country removes residual error. Because the ranker changes "
            "every 30 minutes, the calibrators are refitted with every snapshot, on the last "
            "day of unsampled data, and validated with it on the latest held-out hour. The position tower's logit is added only in training."),
        training_data=(
            "One example per viewable impression. Positives are filtered clicks, about 1% of "
            "impressions; negatives are down-sampled to 10%, giving roughly 1:10. No synthetic "
            "negatives are needed: each negative is an auction winner the user skipped, "
            "already a hard case. Splits are by time (train to day *D*, validate *D+1*, test "
            "*D+2*). In production the model warm-starts and trains on 30-minute chunks of "
            "the labelled stream, with a weekly full retrain on 60 days; examples per user "
            "are capped."),
        notes=(
            "Retrieval in one sentence: a two-tower model trained with in-batch sampled "
            "softmax pulls about 2,000 ads by an exact int8 scan of the ads that pass targeting, judged by recall of the heavy "
            "model's top 10. For conversions, add a pCVR head trained on clicks with a "
            "delayed-feedback correction, since conversions trickle in over a week."),
    ),
    evaluation=Evaluation(
        offline=[
            Metric("Normalised cross-entropy", "Log loss over the entropy of the base CTR: rewards ranking and calibration, comparable across days and segments."),
            Metric("ROC-AUC and per-user AUC", "Ordering quality, which decides auction winners; per-user AUC ignores the easy split between heavy and light clickers."),
            Metric("Calibration ratio", "Predicted over observed clicks by format, country, advertiser size and ad age; must stay within ±2% because prices depend on it."),
        ],
        online=[
            Metric("Revenue per thousand impressions", "The business outcome, read alongside the guardrails below."),
            Metric("CTR and hide rate", "Relevance and pushback; hide rate may not rise."),
            Metric("Advertiser cost per click and conversion rate", "Advertisers leave if clicks cost more or convert worse."),
            Metric("Organic time spent", "Catches ads that earn today but drive people away."),
        ],
        gap=(
            "Offline data was chosen by the *old* model, so a new one is never tested on the "
            "ads it would promote. The auction amplifies small score shifts into changes of "
            "winner and price that log loss cannot see. Shared budgets let a winning arm "
            "spend money the control then lacks, overstating gains. Aggregate calibration "
            "can hide errors in the segments that carry revenue, and ad fatigue builds over "
            "weeks, beyond a short test."),
        experiments=(
            "Offline gates (better loss on three fresh days, calibration within ±2% per "
            "segment), then a day of **shadow** scoring, then a user-level A/B with "
            "**budget-split** campaigns so arms cannot cannibalise spend: 1% per arm, then "
            "5%, for two weeks to cover weekly cycles. The unit is the user, not the impression: "
            "a 5% arm holds about 20 M users, and two-week revenue per user is heavy-tailed "
            "(coefficient of variation about 4), so the smallest change detectable at 80% "
            "power and 5% significance is 2.8 × 4 × √(2 / 20 M) ≈ 0.35%, and about 0.3% with "
            "CUPED (regressing on pre-period spend removes about a third of the variance). "
            "The 1% stage (4 M users per arm) only catches changes near 0.8%, so it is a "
            "safety check, not the decision. Guardrails on hide "
            "rate, cost per click and organic time spent stop the test automatically. "
            "Interleaving suits ads poorly because prices depend on the whole auction, so it "
            "is not used; retrieval changes are screened offline by recall of the heavy "
            "model's top 10 and then A/B tested like the ranker. A 0.5% slice that "
            "randomises among top candidates logs propensities for inverse-propensity "
            "estimates that screen models before they get A/B traffic."),
        notes=(
            "A long-running 1% holdout with a lower ad load measures what ads cost in "
            "retention, which tells the business how far to trust short-term revenue wins "
            "from more clickable ads."),
    ),
    serving=Serving(
        pipelines=[
            Pipeline("Ad request", "online", [
                "The feed server calls the ad server in parallel with organic ranking.",
                user_features,
                targeting,
                user_tower,
                ad_index,
                light_ranker,
                hydration,
                heavy_ranker,
                auction,
                "Winners return to the feed server and the impression is logged with its "
                "serving-time features.",
            ]),
            Pipeline("Label join and continuous training", "streaming", [
                label_join,
                continuous_trainer,
                "A validator refits the calibrators and promotes the snapshot to the registry "
                "only if loss and calibration beat production on the latest held-out hour.",
            ]),
            Pipeline("Batch retraining and indexing", "batch", [
                late_click_job,
                "Daily: late-click correction and training partitions.",
                two_tower_retrain,
                ad_reembedding,
                "Daily: re-embedding of active ads and an index rebuild.",
                weekly_retrain,
            ]),
            Pipeline("New ad onboarding", "streaming", [
                creative_encoder,
                "The new ad is inserted into the live index within a minute, with the "
                "advertiser prior as its CTR and a place in the exploration pool.",
            ]),
        ],
        # Medians on each host; the user tower needs only the user features, so it runs
        # while the targeting filter prunes the catalogue.
        latency_path=[
            user_features,
            parallel(targeting, user_tower),
            ad_index,
            light_ranker,
            hydration,
            heavy_ranker,
            auction,
            ("Logging and response", 3),
            ("Network hops between services", 6),
        ],
        latency_target_ms=100,
        placement=(
            "Server-side in each region next to the feed servers. The median path takes "
            "{latency_total} of the {latency_target} p99 target, leaving the rest for tails "
            "and retries. The user tower, retrieval and the light ranker share "
            "{retrieval_hosts.replicas} CPU hosts, each holding the whole "
            "{ad_retrieval_index.size} index; targeting and the auction run on "
            "{ad_servers.replicas}, and the online feature store on "
            "{online_feature_store.replicas}. The heavy ranker runs on "
            "{pctr_ranker.replicas} at peak, with embedding tables sharded on parameter "
            "servers and hot rows cached per host. On-device scoring is ruled out: the "
            "auction needs every bid and live budget state."),
        compression=(
            "Embedding tables dominate size: rare ids share hashed buckets, rows unseen for 30 "
            "days are evicted, and rows are stored in 8 bits with a per-row scale (about 4× "
            "smaller). Dense layers run in fp16. The light ranker is a distilled student about "
            "fifty times cheaper per ad. Retrieval vectors are int8; product quantisation "
            "would save little at this size and cost recall."),
        rollout=(
            "Continuous snapshots pass an automatic gate every half hour; a failing one is "
            "simply not promoted. Architecture changes go through shadow, a 1% budget-split "
            "A/B, then 5, 25, 50 and 100% over about three weeks, with guardrail-triggered "
            "rollback to the pinned previous registry version."),
        notes=(
            "If the heavy ranker times out, the auction runs on the light ranker's calibrated "
            "scores, then on the logistic regression; every fallback is counted, since a "
            "silent one loses revenue unnoticed."),
    ),
    monitoring=Monitoring(
        operational=[
            "p99 latency per serving step, timeout rate and fallback usage.",
            "GPU utilisation and embedding cache hit rate of the heavy ranker.",
            "Lag of the label join and trainer, and the age of the serving snapshot.",
            "Feature store errors and freshness of each real-time counter.",
        ],
        ml_signals=[
            "Hourly calibration ratio overall and per format, country, advertiser size and ad age: the primary health signal.",
            "Normalised cross-entropy on each fresh hour before training on it (progressive validation).",
            "Population stability of the pCTR output and key features, and null or default rates per feature.",
            "Training-serving skew on a sample whose features are recomputed offline.",
            "Invalid and accidental click shares, which reveal fraud waves or mis-tap-prone UI changes.",
        ],
        alerts=[
            "Calibration ratio outside [0.95, 1.05] for a major segment for an hour, or overall for 15 minutes.",
            "Label join rate 20% below the same hour last week: training pauses automatically.",
            "Ad request p99 above 100 ms for five minutes, or any fallback above 1% of traffic.",
            "Serving snapshot older than two hours.",
        ],
        retraining=(
            "Continuous 30-minute updates, each with its calibrator refit, weekly full "
            "retrains and daily retrieval retrains. A full retrain is also triggered when calibration drift "
            "persists for a day, and training pauses whenever data validation rejects an hour."),
        failure_modes={
            "Delayed click events": "True clicks would become negatives and pCTR would sink; the join-rate alert pauses training and the window is re-joined later.",
            "Click fraud wave": "Flagged clicks are removed before training, and a per-advertiser CTR anomaly detector freezes their counters pending review.",
            "Cold-start ads starved of impressions": "The advertiser prior and content embedding give a starting score, and exploration guarantees a few thousand impressions.",
            "Calibration shift after a UI change": "Segment calibrators are refitted with every snapshot, so they follow within the hour; UI launches run as A/B tests the ads team can see.",
            "Embedding shard loss": "Missing rows fall back to default vectors so quality degrades instead of failing; shards are replicated.",
            "Holiday shopping peaks": "Bids, budgets and behaviour shift together; continuous training adapts within hours, and the fleets, sized for the usual 2.5× peak, are pre-scaled above it.",
        },
    ),
)


@case.diagram("System architecture")
def architecture():
    user = User("Feed viewer")
    with stage("serving", "Ad request path"):
        filt = targeting()
        tower = user_tower()
        index = ad_index()
        light = light_ranker()
        heavy = heavy_ranker()
        tables = embedding_tables()
        auc = auction()
    with stage("data", "Logging and features"):
        features = user_features()
        ad_features = hydration()
        events = Kafka("Impressions and clicks")
        joiner = label_join()
        lake = training_logs()
        late = late_click_job()
        sets = training_sets()
        encoder = creative_encoder()
    with stage("model", "Training"):
        trainer = continuous_trainer()
        weekly = weekly_retrain()
        towers = two_tower_retrain()
        reembed = ad_reembedding()
        models = registry()
    with stage("monitoring", "Monitoring"):
        metrics = Prometheus("Calibration monitor")
        dash = Grafana("Dashboards")

    user >> Edge(label="ad request") >> filt
    features >> Edge(style="dashed") >> [filt, tower]
    filt >> Edge(label="~100 k ads") >> index
    tower >> index
    index >> Edge(label="2,000") >> light >> Edge(label="300") >> heavy >> auc
    ad_features >> Edge(style="dashed") >> heavy
    tables >> Edge(style="dashed") >> heavy
    auc >> Edge(label="impression log", constraint="false") >> events
    events >> joiner >> [features, ad_features]
    joiner >> lake
    joiner >> Edge(label="labelled stream") >> trainer
    lake >> late >> sets >> [weekly, towers]
    towers >> reembed
    [trainer, weekly, reembed] >> models
    models >> Edge(label="snapshots") >> heavy
    models >> Edge(label="towers, index", constraint="false") >> tower
    encoder >> Edge(label="new ads") >> index
    joiner >> Edge(label="labels") >> metrics >> dash


@case.diagram("Multi-task DCN-v2 ranker", stage="model", direction="LR")
def ranker():
    with stage("data", "Inputs"):
        sparse = FeatureStore("User, ad and advertiser ids")
        history = FeatureStore("Recent ad clicks")
        content = EmbeddingService("Creative embedding")
        dense = FeatureStore("Counters and context")
        position = FeatureStore("Feed position")
    with stage("model", "Shared network"):
        emb = NeuralNetwork("Embeddings and normalisation")
        attention = NeuralNetwork("Target attention")
        cross = NeuralNetwork("Cross network")
        deep = NeuralNetwork("Deep MLP")
        shared = NeuralNetwork("Shared top layer")
        pos_tower = NeuralNetwork("Position tower (training only)")
    with stage("serving", "Outputs"):
        ctr = ModelServer("pCTR head")
        hide = ModelServer("pHide head")
        calib = Sort("Isotonic calibration")

    for source in (sparse, history, content, dense):
        source >> emb
    position >> Edge(style="invis") >> emb  # keeps the inputs in one column
    emb >> attention
    for tower in (cross, deep):
        emb >> tower
        attention >> tower
    cross >> shared
    deep >> shared
    shared >> ctr
    shared >> hide
    position >> pos_tower
    pos_tower >> Edge(style="dashed", label="bias logit") >> ctr
    ctr >> calib
    hide >> calib


@case.diagram("Ad request funnel", stage="serving")
def funnel():
    viewer = User("Feed viewer")
    with stage("serving", "One ad request in 100 ms"):
        filt = targeting()
        tower = user_tower()
        retrieval = ad_index()
        light = light_ranker()
        heavy = heavy_ranker()
        auc = auction()
    with stage("data", "Features and logs"):
        features = user_features()
        ad_features = hydration()
        log = Kafka("Impression log")
    feed = Client("Feed with ad")

    viewer >> features
    features >> Edge(style="dashed") >> [filt, tower]
    filt >> Edge(label="5 M to ~100 k") >> retrieval
    tower >> Edge(label="user vector") >> retrieval
    retrieval >> Edge(label="2,000 ads") >> light >> Edge(label="300 ads") >> heavy
    ad_features >> Edge(style="dashed") >> heavy
    heavy >> Edge(label="pCTR, pHide") >> auc >> Edge(label="winner per slot") >> feed
    auc >> log
