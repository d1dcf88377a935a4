"""News feed: rank the posts a user sees in a personalised social feed."""
from diagrams import Edge
from diagrams.aws.storage import S3
from diagrams.onprem.analytics import Flink, Spark
from diagrams.onprem.client import Client, User
from diagrams.onprem.database import Cassandra
from diagrams.onprem.inmemory import Redis
from diagrams.onprem.monitoring import Grafana, Prometheus
from diagrams.onprem.network import Nginx
from diagrams.onprem.queue import Kafka
from diagrams.programming.flowchart import Collate, Decision, Merge, Sort

from mlsd import (Candidate, CaseStudy, Component, DataPreparation, Evaluation, Feature, Framing,
                  Metric, ModelDevelopment, Monitoring, Pipeline, Requirements, Scale, Serving,
                  parallel, stage)
from mlsd.nodes import (EmbeddingService, FeatureStore, ModelRegistry, ModelServer,
                        NeuralNetwork, VectorIndex)

# Online path. The feed API, the hard filters and the value re-rank are CPU steps of one
# request on the same mixer hosts, so that fleet is sized from their summed time.
feed_api = Component("Feed API", Nginx, stage="serving", latency_ms=3, in_flight=32,
                     host="Feed mixer hosts",
                     note="Orchestrates the funnel and returns the page and its cursor.")
hard_filters = Component("Hard filters", Decision, stage="serving", latency_ms=5, in_flight=32,
                         host="Feed mixer hosts",
                         note="Drops seen, blocked, muted, audience-restricted and "
                              "policy-violating posts before any ranking model "
                              "runs.")
value_rerank = Component("Value model and re-rank", Sort, stage="serving", latency_ms=6,
                         in_flight=32, host="Feed mixer hosts",
                         note="Computes V, applies integrity demotions and diversity limits.")
viewer_cache = Component("Viewer and graph cache", Redis, stage="serving", latency_ms=5,
                         in_flight=128, items=700e6, bytes_per_item=5e3,
                         note="Per daily viewer: features and the graph neighbourhood "
                              "(about 500 ids).")
author_posts = Component("Author post lists", Cassandra, stage="serving", latency_ms=20,
                         calls=16, in_flight=128, items=2.8e9, bytes_per_item=64,
                         note="A week of post ids per author; a request reads the lists of "
                              "its connections from 16 shards (fan-out on read).")
recs_ann = Component("Recommended posts ANN", VectorIndex, stage="serving", latency_ms=15,
                     calls=4, in_flight=32, items=1e9, bytes_per_item=32,
                     note="A week of public posts as 32-byte PQ codes in 4 in-memory shards.")
trends = Component("Trending in locale", Redis, stage="serving", latency_ms=2,
                   note="Top posts per locale, refreshed every minute.")
light_ranker = Component("Light ranker", ModelServer, stage="serving", latency_ms=10,
                         in_flight=16,
                         note="Two-tower model on CPU: about 2,000 cached post vectors "
                              "scored in one matrix product per action; keeps 500.")
feature_store = Component("Feature store", FeatureStore, stage="data", latency_ms=15,
                          in_flight=64, items=70e9, bytes_per_item=48,
                          note="Online features, mostly viewer-author affinity (about 100 "
                               "authors per daily viewer) and live post counters.")
mmoe_ranker = Component("MMoE ranker", ModelServer, stage="serving", latency_ms=40,
                        in_flight=16, hardware="GPU",
                        note="Scores 500 posts for seven actions and the survey head in one "
                             "fp16 batch.")

# Streaming and batch work, and the logs training reads.
content_encoders = Component("Content encoders", EmbeddingService, stage="data",
                             hardware="GPU", items_per_day=400e6, per_second=500,
                             note="Text, image and video embeddings of every new post at "
                                  "upload.")
post_tower = Component("Post tower", EmbeddingService, stage="serving", items_per_day=143e6,
                       per_second=2000,
                       note="Encodes the public posts that pass quality checks (about a "
                            "seventh of the index a day) into the live ANN index.")
stream_job = Component("Label join and counters", Flink, stage="data", items_per_day=95e9,
                       per_second=50e3,
                       note="About 84 B impressions and 11 B actions a day.")
training_logs = Component("Training logs", S3, stage="data", items=504e9, bytes_per_item=3e3,
                          note="60 days of feature logs at 8.4 B requests a day.")
daily_training = Component("Daily training", NeuralNetwork, stage="model", hardware="GPU",
                           items_per_day=27e9, per_second=100e3,
                           note="Warm-starts the MMoE on one day of rows.")
full_retrain = Component("Full retrain", NeuralNetwork, stage="model", hardware="GPU",
                         items_per_day=27e9, per_second=100e3,
                         note="Every two weeks, from scratch on 14 days of rows (about 378 B); "
                              "shown as a daily average.")
light_distillation = Component(
    "Light ranker distillation", NeuralNetwork, stage="model", hardware="GPU",
    items_per_day=2.7e9, per_second=200e3,
    note="Daily: the two-tower light ranker learns the MMoE's per-action predictions on a "
         "tenth of the day's rows.")
retriever_training = Component(
    "Retriever training", NeuralNetwork, stage="model", hardware="GPU", items_per_day=1e9,
    per_second=200e3,
    note="Weekly: the two-tower retriever on about 7 B engaged pairs with unconnected posts "
         "from the past week, with in-batch negatives; shown as a daily average.")
index_rebuild = Component(
    "Weekly index rebuild", Spark, stage="model", items_per_day=1e9 / 7, per_second=2000,
    note="Re-encodes the week's billion public posts with the new post tower (2,000 a second "
         "per CPU) and rebuilds the PQ codes offline before the swap; shown as a daily "
         "average.")
registry = Component("Model registry", ModelRegistry, stage="model")

case = CaseStudy(
    slug="news-feed",
    title="Personalised news feed",
    summary=("A multi-stage funnel gathers a few thousand fresh posts from friends, follows, "
             "groups and recommendations, and a multi-task ranker predicts each post's chance "
             "of several reactions, which a tunable value model turns into the feed's order."),
    prompt=("Design the ranking of the home feed of a large social network. When a user "
            "opens the app, they should see the posts from friends, pages, groups and "
            "recommended creators that matter most to them, in order, within a fraction of a "
            "second. How would you build it, and how would you know it works?"),
    components=[feed_api, viewer_cache, author_posts, recs_ann, trends, hard_filters,
                light_ranker, feature_store, mmoe_ranker, value_rerank, content_encoders,
                post_tower, stream_job, training_logs, daily_training, full_retrain,
                light_distillation, retriever_training, index_rebuild, registry],
    requirements=Requirements(
        objective=(
            "Make people come back because the feed was worth their time: more daily users "
            "and sessions over months, driven by posts they engage with meaningfully "
            "(comments, shares, long reads) rather than by compulsive scrolling. The feed is "
            "also the distribution channel for creators and the inventory for ads, so a "
            "healthy creator ecosystem and integrity of what spreads are part of the goal."),
        questions={
            "Which content is eligible?": (
                "Posts from friends, followed pages and creators, and joined groups, plus "
                "recommended public posts from accounts the user does not follow, up to "
                "about a quarter of the feed."),
            "What formats?": (
                "Text, photos, links, reshares and short videos. Long video and stories have "
                "their own surfaces and are out of scope."),
            "What reactions do we log?": (
                "Impressions with viewport time, reactions, comments, shares, clicks, watch "
                "time, and negative actions (hide, *see less*, unfollow, report). A small "
                "in-feed survey asks whether a post was worth the user's time."),
            "How fresh must the feed be?": (
                "A friend's post is rankable within a minute, and engagement counts lag by "
                "under a minute."),
            "Who owns ads and integrity?": (
                "Other teams: ads fill reserved slots, and integrity classifier scores reach us "
                "as filters and demotions."),
        },
        functional=[
            "Return a first page of about 15 ranked posts on app open and further pages on scroll, never repeating seen posts.",
            "Respect each post's audience settings, blocks and mutes as hard filters before any ranking model runs.",
            "Mix connected and recommended content, with diversity limits on consecutive posts from one author or format.",
            "Demote borderline content and remove policy violations.",
            "Offer a non-personalised, chronological feed where regulation requires it or the user asks.",
        ],
        non_functional={
            "scalability": (
                "700 M daily users, about 8 B feed requests a day, 400 M new posts a day, and "
                "a graph where some accounts have tens of millions of followers."),
            "latency": (
                "First page within 200 ms at p99 on the server, so the feed appears as the app "
                "opens; later pages are prefetched."),
            "throughput": (
                "About {peak_qps} at peak, each scoring 500 posts in the heavy ranker: "
                "roughly 150 M post scorings per second."),
            "privacy": (
                "Audience settings are enforced before ranking; affinity uses interaction "
                "counts, never message content; deletions propagate to indexes and training "
                "data."),
            "cost": (
                "The heavy ranker dominates compute, so it only sees what cheap stages keep; "
                "content embeddings are computed once at upload and reused everywhere."),
        },
        scale=Scale(daily_active_users=700e6, requests_per_user=12, peak_to_average=3,
                    items=1e9, embedding_dim=128, bytes_per_dim=4, compressed_bytes_per_item=32,
                    log_bytes_per_request=3000, new_items_per_day=400e6, bytes_per_new_item=5e3,
                    requests="feed requests", new_items="posts"),
        notes=(
            "Reading the estimates: the heavy ranker needs {mmoe_ranker.replicas} at peak, "
            "the cost the light ranker exists to protect by cutting 2,000 posts to 500. The "
            "second cost is fan-out on read: each request reads the recent-post lists of its "
            "connections from 16 shards, which takes {author_post_lists.replicas}. The "
            "recommendation index holds about a billion public posts from the last week: "
            "{embedding_index_raw} as raw vectors, {recommended_posts_ann.size} as 32-byte "
            "product-quantisation codes, small enough for four in-memory shards. Feature "
            "logs grow by {request_logs_per_year} a year, so raw logs expire after 60 days "
            "({training_logs.size}); only the down-sampled daily training partitions are kept "
            "longer."),
    ),
    framing=Framing(
        ml_objective=(
            "For each candidate post, predict the probability of seven actions: like, comment, "
            "share, click, dwell of at least ten seconds, hide and report, and rank by a value "
            "score *V = Σ wₐ · P(a)* with negative weights on hide and report. Long-term "
            "return is slow and sparse to measure while actions arrive in seconds, so "
            "weighted engagement is the proxy. It diverges where engagement is cheap to "
            "provoke: bait (*comment YES if...*), outrage and clickbait raise actions but "
            "erode trust, which negative heads, survey-tuned weights and integrity demotions "
            "counter."),
        input=(
            "The viewer with their context (device, time, session so far) and a pool of about "
            "2,000 candidate posts, each with author, content and live engagement counts."),
        output=(
            "An ordered page of posts with ad slots reserved, plus a cursor to continue the "
            "ranking on the next page."),
        category=(
            "Multi-task pointwise classification producing per-action probabilities, combined "
            "into a ranking score: learning to rank inside a retrieval and ranking funnel."),
        alternatives={
            "Reverse chronological order": (
                "Transparent and cheap, but users with many connections miss what matters to "
                "them, and frequent posters dominate. Kept as a user option and a fallback."),
            "Single engagement label (click or like)": (
                "Easy to train but rewards clickbait and ignores that a comment or a hide "
                "means far more than a passing like."),
            "Regress time spent per post": (
                "Favours long videos and slow scrolling, and cannot tell absorbed reading "
                "from a phone left on the table."),
            "Reinforcement learning on long-term retention": (
                "The right objective in principle, but credit assignment over weeks is weak "
                "and the policy is hard to debug; we use long-term signals to tune the value "
                "weights instead."),
        },
        notes=(
            "Predicting actions separately and combining them at the end is the key design "
            "choice: product and integrity teams can change the weights without retraining "
            "(the light ranker predicts the same actions and uses the same weights), "
            "each head can be calibrated and monitored on its own, and a new reaction is a "
            "new head, not a new model. The price is that the heads must be calibrated, since "
            "they are summed."),
    ),
    data=DataPreparation(
        sources={
            "Post store": "Author, audience, text, media references and creation time in Cassandra, sharded by author, with change events on Kafka; a week of post ids per author forms the author post lists candidate generation reads.",
            "Social graph": "Friendships, follows, groups, blocks and mutes in a cached graph store.",
            "Engagement events": "Impressions with viewport time and every action, from clients to Kafka, landed hourly on S3.",
            "Impression feature logs": "The features each served post was scored with, written by the ranker.",
            "Content understanding": "Text, image and video embeddings and topics computed at upload.",
            "Integrity scores and surveys": "Bait, clickbait and borderline probabilities from the integrity team, and about a million survey answers a day.",
        },
        labels=(
            "Mostly natural labels. An impression counts when half the post was on screen for "
            "300 ms; an action on it within 24 hours makes it a positive for that action. "
            "Likes arrive in seconds, comments and shares in minutes, so the joiner emits "
            "early labels after ten minutes and corrections when the window closes. Dwell is "
            "measured on the client and normalised per format. Negative feedback (hide, *see "
            "less*, unfollow, report) is explicit but rare. Survey answers, the only direct "
            "measure of value, are too few to train a ranker, so they train a small head and "
            "set the value weights. Noise comes from accidental taps, bots (removed upstream) "
            "and courtesy likes."),
        features=[
            Feature("Viewer and author ids", "Learned 64-dim embeddings with hashing for the long tail; the author embedding is shared across all posts by that author."),
            Feature("Viewer-author affinity", "Decayed counts of likes, comments, profile visits and messages (counts only) over 7, 28 and 90 days, log(1+x); days since last interaction, bucketed."),
            Feature("Relationship type", "One-hot: friend, followed page, followed creator, group, unconnected recommendation; plus the candidate source that produced it."),
            Feature("Post content", "256-dim multilingual text and 256-dim image or video embeddings from upload-time encoders, projected to 64 dims in the model."),
            Feature("Post format and age", "Format one-hot (text, photo, link, reshare, video), video length bucketed, minutes since posting log-bucketed."),
            Feature("Live engagement", "Reactions, comments and shares so far and per impression, smoothed toward the author's average, log-transformed, updated by the stream."),
            Feature("Viewer topic interest", "Dot product of the viewer's 30-day interest vector over 128 topics with the post's topics, plus top topic ids as embeddings."),
            Feature("Engagement history", "The last 100 posts the viewer acted on as content embeddings with action type, pooled by attention against the candidate."),
            Feature("Session context", "Hour and weekday as sine and cosine, device and connection type one-hot, posts already seen this session, time since last visit log-bucketed."),
            Feature("Integrity scores", "Bait, clickbait and borderline probabilities as dense inputs, also used by the demotion rules after ranking."),
        ],
        pipeline=[
            "Flink joins impression and action events on impression id, emitting early labels after ten minutes and corrections after 24 hours.",
            "The same job keeps live engagement counters and viewer-author affinity in the online feature store; offline backfills share its code.",
            "At upload, a post is embedded and integrity-scored before it becomes eligible.",
            "A daily Spark job joins logged serving features with final labels, caps examples per viewer, down-samples impressions without actions and writes day partitions.",
            "Validation of label rates, null rates and feature ranges blocks training on anomalous partitions.",
        ],
        privacy=(
            "Audience checks run right after candidate generation, before the light ranker, so "
            "no ranking model ever sees a post the viewer may not see; the ANN index holds "
            "only public posts. Message content is never read; only counts of exchanges "
            "feed affinity. Deleted posts and accounts are removed from the index within "
            "minutes and from training data at the next partition rebuild. Teenagers get "
            "stricter recommendation rules and no sensitive-interest topics. Raw logs are "
            "pseudonymised and expire after 60 days; the training partitions built from them "
            "keep pseudonymous ids only."),
        bias=(
            "**Exposure bias**: the model learns only from what earlier rankers showed, so a "
            "2% slice gets mild randomisation among close scores. **Position bias**: top posts "
            "get more actions regardless of quality, so position is a training-only input. "
            "**Popularity bias**: live engagement rewards the already popular, so new creators "
            "get a small guaranteed test audience. **Heavy users** dominate impressions and "
            "are capped. **Language**: text encoders are weaker for low-resource languages, "
            "so quality is tracked per language."),
    ),
    model=ModelDevelopment(
        baseline=(
            "A hand-tuned score: viewer-author affinity × a weight per format × an "
            "exponential time decay, with friend posts boosted. No training, easy to "
            "explain, and the order every learned model must beat online."),
        candidates=[
            Candidate(
                "Gradient-boosted trees per action",
                "One GBDT per action on dense features: affinity counts, live engagement, age, "
                "format and integrity scores.",
                pros=["Strong on dense tabular signals with little tuning.",
                      "Cheap CPU inference and easy to explain."],
                cons=["Cannot use ids, content embeddings or history sequences well.",
                      "Separate models share nothing, so rare actions stay noisy."]),
            Candidate(
                "Independent deep networks per action",
                "One network per action, each with its own embeddings and MLP.",
                pros=["Uses embeddings and sequences; each task tuned separately."],
                cons=["Seven times the serving cost and memory.",
                      "Rare tasks cannot borrow from the abundant like and dwell data."]),
            Candidate(
                "Multi-gate mixture-of-experts (MMoE)",
                "Shared embeddings and history attention feed several expert MLPs; each action "
                "has a gate that mixes the experts and its own small tower.",
                pros=["One forward pass for all actions.",
                      "Rare tasks borrow from frequent ones, while gates let conflicting tasks (like vs hide) use different experts.",
                      "Adding an action adds a gate and a tower."],
                cons=["Tasks can still interfere; loss weights need tuning.",
                      "Needs GPU serving and careful per-head calibration."]),
        ],
        choice=(
            "**MMoE** with four experts, history attention and seven task towers, plus a "
            "small survey head. The light ranker is a two-tower model distilled from the "
            "MMoE's per-action predictions, with one output per action combined by the same "
            "value weights, so a weight change reaches both rankers at once; post vectors are "
            "cached and 2,000 candidates cost one matrix product per action. A separate "
            "two-tower retriever, trained on engagement with "
            "unconnected posts, feeds the recommendation index."),
        loss=(
            "A weighted sum of binary cross-entropies, one per action, *L = Σₜ λₜ · BCEₜ*, "
            "with a task masked out where the action was impossible (comments disabled, a "
            "post that cannot be shared). λₜ starts near the inverse square root of each "
            "task's positive rate so rare tasks are heard, then is tuned on validation. "
            "Down-sampled impressions carry their inverse sampling weight. The survey head "
            "uses cross-entropy on the few labelled impressions only."),
        training_data=(
            "One example per counted impression, about 84 B a day (some 10 of the posts "
            "served per request are seen). Positive rates differ by orders of "
            "magnitude: roughly 4% like, 0.5% comment, 0.2% share, 0.05% hide. Impressions "
            "with no action at all (about 90%) are down-sampled to 25%; those with any action "
            "are kept, so a day yields about 27 B rows and the daily warm start takes "
            "{daily_training.hours} at 100 k rows a second per GPU; the full retrain on 14 "
            "days, run once a fortnight, averages {full_retrain.hours} a day. "
            "Fast scroll-pasts are real negatives and stay in. Examples are capped at 300 per "
            "viewer per day. The model trains on 14 days, validates on the next day and "
            "tests on the one after; production warm-starts daily and fully retrains every "
            "two weeks. The 2% exploration slice is tagged, so it can be up-weighted or "
            "used alone for counterfactual evaluation."),
        notes=(
            "The value weights are where business judgement enters. We tune them with "
            "off-policy estimates on the exploration slice, then confirm in A/B tests that "
            "vary only the weights, optimising sessions and survey score with guardrails on "
            "negative feedback. If pushed, a listwise re-ranker (a small transformer over "
            "the top 50) can model the page as a whole, which pointwise scoring cannot."),
    ),
    evaluation=Evaluation(
        offline=[
            Metric("Per-action ROC-AUC and normalised cross-entropy", "Each head is judged on its own label; normalised cross-entropy also punishes miscalibration, which matters because heads are summed."),
            Metric("Calibration per head", "Predicted over observed rate by format, country and relationship type; a head that drifts high silently changes the effective value weights."),
            Metric("Value-weighted nDCG@15 per session", "Orders logged sessions by V and scores against value-weighted actions, estimated on the exploration slice with inverse propensities to reduce the old ranker's bias."),
            Metric("Candidate recall", "Share of posts the full ranker would place on page one that each candidate source and the light ranker keep."),
        ],
        online=[
            Metric("Daily users and sessions per user", "The long-term goal; slow to move, read in long-running tests and holdouts."),
            Metric("Meaningful interactions per user", "Comments, shares and replies between people, the closest fast signal to value."),
            Metric("Worth-your-time survey score", "Direct user judgement, catching engagement that users themselves regret."),
            Metric("Negative feedback and integrity prevalence", "Hides, reports and unfollows per impression, and views of borderline content: guardrails that may not rise."),
        ],
        gap=(
            "Offline labels come from what the previous ranker chose, so posts it buried have "
            "no labels and a new model's promotions are never scored. Heads are combined by "
            "weights, so a gain in one head can change the mix in ways no single metric "
            "shows. People also react to each other: if the ranker promotes comment-heavy "
            "posts, creators receive more comments and post more, changing supply in a way "
            "replayed logs cannot. Novelty inflates early gains, and bait looks good on "
            "short-term actions while hurting return visits."),
        experiments=(
            "Candidates first pass offline gates, then **team-draft interleaving** on a small "
            "slice, which detects ranking preferences in days with far fewer users than an "
            "A/B test. Winners go to a user-level A/B at 1-2% per arm (7 to 14 M users) for at "
            "least three weeks, with CUPED on each user's pre-period activity: a 0.1% change "
            "in sessions per user needs on the order of ten million users per arm even after "
            "variance reduction, which is why the arms are this large. Changes "
            "that spill over between people, such as boosting comments, use "
            "**cluster-randomised** tests on graph communities so friends share an arm. "
            "Value-weight changes are screened with doubly robust off-policy estimates on "
            "the exploration slice. A 0.5% **long-term holdout** stays on last quarter's "
            "ranker to measure cumulative effects on retention."),
    ),
    serving=Serving(
        pipelines=[
            Pipeline("Feed request", "online", [
                feed_api,
                viewer_cache,
                "The feed API fetches viewer features and the graph neighbourhood from caches.",
                author_posts,
                recs_ann,
                trends,
                "Candidate sources run in parallel: recent posts from friends, follows and groups (about 1,500), the two-tower ANN over public posts (about 400), locale trends and unseen posts from the last session.",
                hard_filters,
                "Hard filters drop seen, blocked, muted, audience-restricted and policy-violating posts.",
                light_ranker,
                "The two-tower light ranker keeps the top 500.",
                feature_store,
                mmoe_ranker,
                "Features are hydrated and the MMoE ranker predicts all actions on GPU.",
                value_rerank,
                "The value model computes V, integrity demotions apply, and a greedy re-ranker enforces diversity (no more than two posts in a row from one author or format).",
                "Ads, fetched in parallel, fill reserved slots; the page and a cursor over the ranked remainder are returned and features logged.",
            ]),
            Pipeline("Post ingestion and indexing", "streaming", [
                content_encoders,
                "A new post is scored by integrity classifiers and embedded by the content encoders within seconds.",
                "It joins the author's recent-post list, read by connected candidate generation (fan-out on read, so a celebrity's post is not copied into millions of inboxes).",
                post_tower,
                "Public posts that pass quality checks are encoded by the post tower and inserted into the live ANN index within a minute.",
            ]),
            Pipeline("Streaming features", "streaming", [
                stream_job,
                "Flink updates post engagement counters, viewer-author affinity and topic interest from the event stream, and writes them to the online feature store within a minute.",
            ]),
            Pipeline("Training and index rebuild", "batch", [
                daily_training,
                "Daily: build labelled partitions, warm-start the MMoE, re-distil the light ranker, validate and register.",
                light_distillation,
                "Every two weeks: retrain the MMoE from scratch on 14 days.",
                full_retrain,
                "Weekly: retrain the two-tower retriever, re-encode the week's public posts and rebuild the PQ index offline, then swap it in.",
                retriever_training, index_rebuild,
            ]),
        ],
        latency_path=[feed_api, viewer_cache, parallel(author_posts, recs_ann, trends),
                      hard_filters, light_ranker, feature_store, mmoe_ranker, value_rerank,
                      ("Ads merge", 2), ("Post hydration and response", 10)],
        latency_target_ms=200,
        placement=(
            "Ranking runs in the platform's data centres in each region. The median request "
            "spends {latency_total} on the server against the {latency_target} p99 target; "
            "the rest is room for tails, since the slowest of 16 author-list shards sets the "
            "candidate step. CPU fleets at peak: {feed_mixer_hosts.replicas} of feed mixers "
            "(API, filters and re-rank share a host, sized from their summed time), "
            "{author_post_lists.replicas} of author-list reads, "
            "{recommended_posts_ann.replicas} of ANN shards with the PQ index in memory, "
            "{light_ranker.replicas} of light ranker and {feature_store.replicas} of feature "
            "store. The MMoE runs on {mmoe_ranker.replicas}, with embedding tables sharded "
            "and hot rows cached. Upload-time content encoding takes "
            "{content_encoders.hours} a day. The client prefetches the next page and keeps the "
            "ranked cursor, so scrolling rarely waits for the server."),
        compression=(
            "Product quantisation shrinks the recommendation index from {embedding_index_raw} "
            "to {recommended_posts_ann.size}; the "
            "top few hundred hits are refined with full vectors kept on SSD. Embedding tables "
            "are int8 with per-row scales and pruned of ids unseen for 60 days. The MMoE runs "
            "in fp16 and the light ranker is distilled from it."),
        rollout=(
            "A new ranker replays a day of logged requests to check score distributions and "
            "latency, runs in **shadow** on live traffic, then serves a 1% canary and the 2% A/B "
            "arm; once interleaving and the A/B test agree, it ramps to 10, 50 and 100%. Value "
            "weights live in versioned config, so weight changes ship and roll back without "
            "a model push. The previous model stays warm for instant rollback."),
        notes=(
            "Graceful degradation: if the MMoE misses its budget, the page is ordered by the "
            "light ranker; if candidate sources fail, the feed falls back to chronological "
            "connected posts with affinity ordering. An empty feed is the worst outcome and "
            "is alerted on directly."),
    ),
    monitoring=Monitoring(
        operational=[
            "p50 and p99 latency per funnel stage, timeouts and the share of requests served by each fallback.",
            "Candidates returned per source and the empty or short feed rate.",
            "GPU utilisation and embedding cache hit rate of the ranker fleet.",
            "Freshness: time from posting to being rankable, and lag of the engagement counters.",
        ],
        ml_signals=[
            "Calibration of every head by format, country and relationship type, hourly.",
            "Drift of each head's predictions and of key features, null or default rates, and training-serving skew on a recomputed sample.",
            "Feed composition: shares of video, recommended and reshared posts, and concentration of impressions across creators.",
            "Prevalence of borderline content in impressions and the daily survey score, as slow quality signals.",
        ],
        alerts=[
            "Empty or short feed rate above 0.1% for five minutes pages the on-call.",
            "p99 above {latency_target} for ten minutes, or the light-ranker fallback above 2% of requests.",
            "Any head's calibration outside ±10% in a major country for two hours.",
            "Engagement counter lag above five minutes, or a sudden shift in feed composition.",
        ],
        retraining=(
            "Daily warm-start updates of the MMoE and light ranker, a full retrain every two "
            "weeks, weekly retriever and index rebuilds. Calibration breaches and drops in "
            "offline metrics on fresh days trigger early retrains; a failed validation keeps "
            "the previous model serving."),
        failure_modes={
            "Engagement bait surge": "Bait inflates likes and comments; integrity scores, the hide head and survey-tuned weights demote it, and a composition alert catches what slips through.",
            "Breaking news spike": "Engagement counters jump and one story floods feeds; freshness and velocity features adapt, diversity limits cap repetition, and capacity scales on demand.",
            "New user with an empty graph": "No affinity or history, so the feed leans on locale trends, onboarding interests and recommended posts until interactions accrue.",
            "Feedback loop narrowing interests": "Exploration, diversity rules and topic-spread monitoring stop the feed collapsing onto a few topics.",
            "Stale engagement features": "A lagging stream makes live counts look low and buries fresh posts; the lag alert fires and the ranker switches to author-average priors.",
        },
    ),
)


@case.diagram("System architecture")
def architecture():
    viewer = User("Viewer")
    with stage("serving", "Feed request path"):
        api = feed_api()
        cache = viewer_cache()
        connected = author_posts()
        ann = recs_ann()
        trending = trends()
        filters = hard_filters()
        light = light_ranker()
        ranker = mmoe_ranker()
        rerank = value_rerank()
        tower = post_tower()
    with stage("data", "Events and features"):
        events = Kafka("Impressions and actions")
        stream = stream_job()
        features = feature_store()
        logs = training_logs()
        encoders = content_encoders()
    with stage("model", "Training"):
        trainer = daily_training()
        full = full_retrain()
        distil = light_distillation()
        retriever = retriever_training()
        rebuild = index_rebuild()
        models = registry()
    with stage("monitoring", "Monitoring"):
        metrics = Prometheus("Calibration and feed mix")
        dash = Grafana("Dashboards")

    viewer >> Edge(label="open feed") >> api
    api >> Edge(style="dashed") >> cache
    api >> [connected, ann, trending] >> filters >> light >> ranker >> rerank
    rerank >> Edge(label="page", constraint="false") >> api
    rerank >> Edge(label="impressions", constraint="false") >> events
    events >> stream >> features
    stream >> logs >> trainer >> models
    logs >> full >> models
    trainer >> Edge(label="teacher") >> distil >> models
    logs >> retriever >> rebuild
    rebuild >> Edge(label="new PQ index", constraint="false") >> ann
    models >> Edge(constraint="false") >> light
    models >> Edge(label="models") >> ranker
    features >> Edge(style="dashed") >> ranker
    encoders >> Edge(label="new posts") >> tower >> ann
    stream >> metrics >> dash


@case.diagram("Ranking funnel", stage="serving")
def funnel():
    with stage("serving", "Candidate sources"):
        connected = author_posts()
        recs = recs_ann()
        trending = trends()
    with stage("serving", "Ranking"):
        merge = Merge("Merge\n~2,000 posts")
        filters = hard_filters()
        light = light_ranker()
        heavy = mmoe_ranker()
        value = value_rerank()
    page = Client("Page of 15 posts")

    connected >> Edge(label="friends, follows, groups") >> merge
    [recs, trending] >> merge
    merge >> filters >> light >> Edge(label="500") >> heavy >> Edge(label="7 actions") >> value
    value >> page


@case.diagram("MMoE multi-task ranker", stage="model")
def mmoe():
    with stage("data", "Inputs"):
        ids = feature_store()
        content = EmbeddingService("Post content embeddings")
        history = FeatureStore("Engagement history")
    with stage("model", "Shared bottom"):
        emb = NeuralNetwork("Embeddings and attention")
        experts = [NeuralNetwork(f"Expert {i}") for i in (4, 3, 2, 1)]  # drawn top-down as 1-4
        mix = Collate("Expert outputs")
    with stage("model", "A gate and a tower per task"):
        heads = [(NeuralNetwork(f"Gate: {name.split()[0]}"), NeuralNetwork(f"P({name})"))
                 for name in ("like", "comment", "share", "click", "dwell 10 s", "hide", "report",
                              "worth it")]
    with stage("serving", "Ranking"):
        value = Sort("Value score V")

    for source in (ids, content, history):
        source >> emb
    for expert in experts:
        emb >> expert >> mix
    for gate, tower in heads:
        mix >> gate >> tower >> value
