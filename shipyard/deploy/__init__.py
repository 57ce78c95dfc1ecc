"""`shipyard deploy` and `shipyard init-workflow`: a built site committed to a branch of a
git repository (GitHub Pages, a Hugging Face Space) and pushed, or a GitHub Actions workflow
that builds and deploys it with the official Pages actions. Hosts that take a folder
(Netlify, Cloudflare Pages, a bucket) need nothing here: the build prints their upload
command (`hosts.Host.upload`)."""
